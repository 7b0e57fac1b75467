"""Fixtures for the integration tests (see integ.py for the helpers they use).

- a time limit on every test phase (setup, call, teardown): OVERCAST_TEST_TIMEOUT seconds
  (default 120), enforced with signal.alarm because no timeout plugin is installed;
- `server`: one overcast per test module, default flags, fresh data dir;
- `factory` (per test) and `module_factory` (per module): start servers with extra flags,
  on fresh or given data dirs, restart them; all are stopped by PID at teardown and their temp
  dirs removed. Sanitizer reports in a server's stderr fail the teardown.
"""
import os
import signal

import pytest

import integ

TEST_TIMEOUT = int(os.environ.get("OVERCAST_TEST_TIMEOUT", "120"))


class PhaseTimeout(Exception):
    pass


def _with_alarm(item, phase):
    marker = item.get_closest_marker("timeout")
    limit = int(marker.args[0]) if marker and marker.args else TEST_TIMEOUT

    def on_alarm(signum, frame):
        raise PhaseTimeout("%s of %s exceeded the %ds time limit" % (phase, item.nodeid, limit))

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(limit)
    return old


def _clear_alarm(old):
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    old = _with_alarm(item, "setup")
    try:
        yield
    finally:
        _clear_alarm(old)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    old = _with_alarm(item, "call")
    try:
        yield
    finally:
        _clear_alarm(old)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    old = _with_alarm(item, "teardown")
    try:
        yield
    finally:
        _clear_alarm(old)


def pytest_configure(config):
    config.addinivalue_line("markers", "timeout(seconds): per-phase time limit for this test")
    # boto 2.49 imports the deprecated `imp` module; not our concern.
    config.addinivalue_line("filterwarnings", "ignore:the imp module is deprecated:DeprecationWarning")


def pytest_report_header(config):
    py = integ.py143()
    return ["overcast binary: %s" % integ.BIN,
            "boto3 1.43 subprocess client: %s" % (py and "%s (boto3 %s)" % py or "absent"),
            "AWS CLI v1: %s" % (integ.aws_v1() or "absent")]


def pytest_unconfigure(config):
    integ.cleanup_cfg()


def _close(factory):
    reports = factory.close()
    if reports:
        pytest.fail("server problems at teardown:\n" + "\n".join(reports), pytrace=False)


@pytest.fixture
def factory(request):
    f = integ.ServerFactory(request.node.name)
    yield f
    _close(f)


@pytest.fixture(scope="module")
def module_factory(request):
    f = integ.ServerFactory(request.module.__name__)
    yield f
    _close(f)


@pytest.fixture(scope="module")
def server(module_factory):
    """One overcast with default flags, shared by the tests of a module."""
    return module_factory.start()
