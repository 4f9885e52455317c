"""`firesweep app` refuses a network address without the field kit; `firesweep pairings` lists and revokes."""

from __future__ import annotations

import pytest

from app.bootstrap import build
from app.cli import main
from app.domain.pairing import PairingCode
from app.services import pairing


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.43.1", "evil.example"])
def test_serving_beyond_this_machine_without_the_field_kit_is_refused(host, tmp_path, capsys):
    assert main(["app", "--host", host, "--data", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err
    assert host in err and "--field-kit" in err
    assert not (tmp_path / "data").exists()       # refused before anything was made


@pytest.mark.parametrize("host", ["0.0.0.0", "127.0.0.1", "224.0.0.1", "tablet.local"])
def test_the_field_kit_needs_a_real_lan_address(host, tmp_path, capsys):
    assert main(["--lang", "en", "app", "--field-kit", "--host", host, "--data", str(tmp_path / "data")]) == 2
    assert "cannot be the field kit's LAN address" in capsys.readouterr().err


def test_the_field_kit_is_not_for_the_native_window(tmp_path, capsys):
    assert main(["--lang", "en", "app", "--field-kit", "--host", "127.0.0.2", "--desktop",
                 "--data", str(tmp_path / "data")]) == 2
    assert "--desktop" in capsys.readouterr().err


def test_pairings_are_listed_and_revoked_from_the_command_line(tmp_path, capsys):
    data = tmp_path / "data"
    ctx = build(data)
    code = PairingCode(lambda: 0.0)
    done = pairing.pair(ctx, code, "c" * 40, code.code, "张伟", device="iPad")
    assert main(["pairings", "--data", str(data)]) == 0
    assert done.id in capsys.readouterr().out
    assert main(["pairings", "revoke", done.id, "--data", str(data)]) == 0
    assert "张伟" in capsys.readouterr().out
    assert pairing.paired(build(data), "c" * 40) is None
    assert main(["pairings", "revoke", "missing", "--data", str(data)]) == 2
