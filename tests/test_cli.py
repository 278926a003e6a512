from publishing.cli import main


def test_version_prints_the_project_version(capsys):
    assert main(["version"]) == 0
    assert capsys.readouterr().out.startswith("concertem ")


def test_help_lists_commands(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "version" in out and "usage: concertem" in out
