"""Saved nights: every fetch of a night in one gzipped WARC/1.1 file, written and read with warcio.

Record layout (README, "Saved nights"): a ``warcinfo`` first; a ``metadata`` record per source config;
per fetch with a response a ``response`` (or a ``revisit`` when the body repeats the last body of that
URL) followed by its ``request``; per fetch that got no response a ``metadata`` fetch-error record.
One gzip member per record and a flush after each, so a crash loses at most the record being written.
Record ids are hashes of content, time and position, so the same inputs give the same bytes.
"""

from ingester.night._format import (
    ERROR_HEADER,
    FORMAT,
    RECORD_HEADER,
    REVISIT_PROFILE,
    SOURCE_HEADER,
    Night,
    NightLimits,
)
from ingester.night._read import read_night
from ingester.night._write import NightWriter, write_night

__all__ = [
    "ERROR_HEADER",
    "FORMAT",
    "RECORD_HEADER",
    "REVISIT_PROFILE",
    "SOURCE_HEADER",
    "Night",
    "NightLimits",
    "NightWriter",
    "read_night",
    "write_night",
]
