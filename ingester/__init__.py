"""ingester: election-night live blogs and feeds in, typed events on Redis streams out."""

__version__ = "0.1.0"
