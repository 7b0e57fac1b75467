"""One server per data dir: a second `overcast serve` on the same dir exits non-zero ("in use")."""
import subprocess

from integ import boto3_client


def test_second_server_on_same_dir_refused(factory):
    first = factory.start()
    second = factory.make(data_dir=first.data_dir).spawn()
    try:
        rc = second.proc.wait(30)
    except subprocess.TimeoutExpired:
        raise AssertionError("second server on the same data dir is still running\n"
                             + second.diagnostics())
    second.stop()
    out = second.stdout_text() + second.stderr_text()
    assert rc != 0, out
    assert "in use" in out, out
    assert "listening on" not in second.stdout_text(), second.stdout_text()
    # The first one is unharmed.
    assert boto3_client(first, "sts").get_caller_identity()["Account"] == "000000000000"


def test_lock_released_after_stop(factory):
    first = factory.start()
    first.stop()
    again = factory.start(data_dir=first.data_dir)
    assert boto3_client(again, "sts").get_caller_identity()["Account"] == "000000000000"


def test_lock_released_after_kill9(factory):
    first = factory.start()
    first.kill9()
    again = factory.start(data_dir=first.data_dir)
    assert boto3_client(again, "sts").get_caller_identity()["Account"] == "000000000000"


def test_different_dirs_run_side_by_side(factory):
    a = factory.start()
    b = factory.start()
    assert a.port != b.port
    for s in (a, b):
        assert boto3_client(s, "sts").get_caller_identity()["Account"] == "000000000000"
