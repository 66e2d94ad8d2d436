"""The election-night daemon: pollers → the flow's processor → the Redis publisher, until a signal.

    Poller × N ──emit──► [fetches] ──► ReportingProcessor ──► [units] ──► RedisPublisher ──► Redis
      │ (record: each Fetched into the night first)  │
      └───────────────── ReportBoard ◄───────────────┘

The stages are :func:`ingester.flow.run_flow`, the same wiring replay uses; only the producer (pollers
instead of a night) and the clock (real) differ. Channels are bounded: a slow Redis slows the pollers.

Shutdown. The first SIGTERM or SIGINT stops the pollers (their waits end; a fetch under way finishes and
is handed over), then the flow drains: every fetch handed over is processed and every unit published.
The grace period bounds that drain; when it runs out, or at a second signal, everything is cancelled at
once. State stays consistent either way, because each unit is published in one atomic step with the
differ state it produced: what was not published is fetched again after a restart.

Exit codes: 0 when everything in flight was published, 1 when the grace period ran out, 128 + the signal
number after a second signal.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence

import redis
import structlog
import trio
from redis.backoff import NoBackoff
from redis.retry import Retry

from ingester.cadence import Cadence
from ingester.classify.base import Rule
from ingester.classify.rules import RULES
from ingester.config import Config, RedisSettings
from ingester.config_checks import split_listen
from ingester.errors import ConfigError, IngesterError
from ingester.feedback import ReportBoard, ReportingProcessor
from ingester.fetch import Fetcher, FetchLimits, user_agent
from ingester.flow import run_flow
from ingester.metrics import Metrics, probe_redis, serve_metrics
from ingester.night import NightWriter
from ingester.poller import Poller, Stopper
from ingester.publish import RedisPublisher
from ingester.settings import SourceSettings
from ingester.store import load_state, redact_url
from ingester.types import Fetched, SourceConfig, SourceState

log = structlog.get_logger("ingester.daemon")

RedisFactory = Callable[[], redis.Redis]


def pipeline_config(source: SourceSettings) -> SourceConfig:
    return SourceConfig(
        name=source.name,
        url=source.url,
        kind=source.kind,
        interval=source.interval,
        election=source.election,
        test=source.test,
    )


def redis_password(settings: RedisSettings) -> str | None:
    """The password from the environment variable the config names; never from the file."""
    if settings.password_env is None:
        return None
    password = os.environ.get(settings.password_env)
    if not password:
        raise ConfigError(f"redis.password_env: the environment variable {settings.password_env} is not set")
    return password


def redis_factory(url: str, settings: RedisSettings) -> RedisFactory:
    """Builds clients with the config's credentials and TLS; a bad URL is a ``ConfigError`` now."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"Redis URL must start with redis://, rediss:// or unix://: {redact_url(url)}")
    options: dict[str, object] = {
        "socket_timeout": settings.socket_timeout,
        "socket_connect_timeout": settings.socket_timeout,
        "retry": Retry(NoBackoff(), 0),  # the publisher retries whole batches itself
        "decode_responses": False,
    }
    password = redis_password(settings)
    if password is not None:
        options["password"] = password
    if settings.username is not None:
        options["username"] = settings.username
    tls = settings.tls
    if tls is not None and url.startswith("rediss://"):
        options |= {
            "ssl_ca_certs": tls.ca_file,
            "ssl_certfile": tls.cert_file,
            "ssl_keyfile": tls.key_file,
            "ssl_cert_reqs": "required" if tls.verify else "none",
            "ssl_check_hostname": tls.verify,
        }

    def make() -> redis.Redis:
        try:
            return redis.Redis.from_url(url, **options)
        except ValueError as err:
            raise ConfigError(f"bad Redis URL {redact_url(url)}: {err}") from err

    make().close()
    return make


def single_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The one ``IngesterError`` inside ``group`` (nurseries wrap errors), else the group itself."""
    leaves: list[BaseException] = []
    pending: list[BaseException] = [group]
    while pending:
        current = pending.pop()
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        else:
            leaves.append(current)
    expected = [leaf for leaf in leaves if isinstance(leaf, IngesterError)]
    if expected and len(expected) == len(leaves):
        return expected[0]
    return group


class Daemon:
    """``run`` polls until ``request_stop`` (or a signal), drains, and returns the exit code."""

    def __init__(
        self,
        config: Config,
        redis_connect: RedisFactory,
        *,
        night: NightWriter | None = None,
        fetcher: Fetcher | None = None,
        handle_signals: bool = True,
        redis_probe_every: float = 5.0,
        rules: Sequence[Rule] = RULES,
    ) -> None:
        self.config = config
        self._connect = redis_connect
        self._night = night  # None once recording has failed
        self._night_to_close = night
        self._night_limiter = trio.CapacityLimiter(1)
        self._handle_signals = handle_signals
        self._probe_every = redis_probe_every
        self._rules = rules  # the classifier chain, with the operator's gazetteer
        limits = FetchLimits.from_settings(config.limits)
        self.fetcher = fetcher or Fetcher(
            limits,
            agent=user_agent(config.http.user_agent_contact),
            client_per=config.http.client_per,
            sources_per_client=config.http.sources_per_client,
        )
        self.metrics = Metrics(healthy_within=config.metrics.healthy_within)
        self.stopper = Stopper()
        self.board = ReportBoard()
        self.metrics_port: int | None = None
        self.emitted = 0
        self._flow_scope = trio.CancelScope()
        self._exit_code = 0

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> int:
        """Runs until stopped; an expected failure surfaces as one ``IngesterError``, not a group."""
        try:
            return await self._run(task_status)
        except BaseExceptionGroup as group:
            raise single_error(group) from None

    async def _run(self, task_status: trio.TaskStatus[None]) -> int:
        config = self.config
        states = await trio.to_thread.run_sync(self._load_states)
        configs = {source.name: pipeline_config(source) for source in config.sources}
        processor = ReportingProcessor(configs, states, self.board, self._rules)
        publisher = RedisPublisher(
            self._connect,
            prefix=config.redis.prefix,
            socket_timeout=config.redis.socket_timeout,
            on_published=self.metrics.published,
        )
        self._watch_queues(processor, publisher)
        if self._night is not None:
            for source_config in configs.values():
                self._night.write_config(source_config)
        try:
            async with trio.open_nursery() as services:
                await self._start_services(services)
                task_status.started()
                log.info("daemon started", sources=len(config.sources), prefix=config.redis.prefix)
                with self._flow_scope:
                    await run_flow(self._produce, processor, publisher, buffer=config.daemon.queue)
                services.cancel_scope.cancel()
        finally:
            await self.fetcher.aclose()
            if self._night_to_close is not None:
                self._night_to_close.close()
        return self._finish(processor, publisher)

    def request_stop(self, signum: int | None = None) -> None:
        """First call: stop polling and drain within the grace period. Second call: stop at once."""
        if not self.stopper.stopping:
            log.info("stopping: draining what is in flight", grace_s=self.config.daemon.grace, signal=signum)
            self.stopper.stop()
            self._flow_scope.deadline = trio.current_time() + self.config.daemon.grace
            return
        log.warning("second stop request: exiting now", signal=signum)
        self._exit_code = 128 + signum if signum is not None else 1
        self._flow_scope.cancel()

    def _load_states(self) -> dict[str, SourceState]:
        client = self._connect()
        try:
            return {
                source.name: load_state(client, self.config.redis.prefix, source.name) for source in self.config.sources
            }
        finally:
            client.close()

    async def _start_services(self, services: trio.Nursery) -> None:
        listen = self.config.metrics.listen
        if listen:
            host_port = split_listen(listen)
            assert host_port is not None  # checked when the config was loaded
            self.metrics_port = await services.start(serve_metrics, self.metrics, *host_port)
        services.start_soon(probe_redis, self._ping, self.metrics, self._probe_every)
        if self._handle_signals:
            await services.start(self._watch_signals)

    def _ping(self) -> None:
        client = self._connect()
        try:
            client.ping()
        finally:
            client.close()

    async def _watch_signals(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        with trio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
            task_status.started()
            async for signum in signals:
                self.request_stop(signum)

    async def _produce(self, send: trio.MemorySendChannel[Fetched]) -> None:
        async def emit(fetched: Fetched) -> None:
            if self._night is not None:
                await self._record(fetched)
            self.emitted += 1
            await send.send(fetched)

        daemon = self.config.daemon
        limits = self.config.limits
        async with trio.open_nursery() as pollers:
            for source in self.config.sources:
                cadence = Cadence(
                    source,
                    jitter=daemon.jitter,
                    backoff_max=limits.backoff_max,
                    retry_after_max=limits.retry_after_max,
                )
                poller = Poller(
                    source,
                    fetch=self.fetcher.fetch,
                    emit=emit,
                    board=self.board,
                    stopper=self.stopper,
                    cadence=cadence,
                    observer=self.metrics,
                )
                pollers.start_soon(poller.run, name=f"poller:{source.name}")

    async def _record(self, fetched: Fetched) -> None:
        night = self._night
        assert night is not None
        try:
            await trio.to_thread.run_sync(night.write_fetch, fetched, limiter=self._night_limiter)
        except OSError as err:
            # Publishing matters more than the archive on the night: keep polling, say so loudly.
            log.error("cannot write the night archive; recording stopped", error=str(err))
            self._night = None

    def _watch_queues(self, processor: ReportingProcessor, publisher: RedisPublisher) -> None:
        depth = self.metrics.queue_depth
        depth.labels("fetches").set_function(lambda: self.emitted - processor.fetches)
        depth.labels("events").set_function(
            lambda: processor.events_out - publisher.events_new - publisher.events_duplicate
        )

    def _finish(self, processor: ReportingProcessor, publisher: RedisPublisher) -> int:
        if self._flow_scope.cancelled_caught and self._exit_code == 0:
            self._exit_code = 1
            log.warning("grace period over: stopped before everything in flight was published")
        log.info(
            "daemon stopped",
            fetches=processor.fetches,
            events_new=publisher.events_new,
            events_present=publisher.events_duplicate,
            exit_code=self._exit_code,
        )
        return self._exit_code
