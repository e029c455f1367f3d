"""`chainrule datasets` lists every named dataset with its task and description."""
from chainrule.data import list_datasets


def test_lists_every_dataset(cli):
    code, out, err = cli("datasets")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["name", "task", "source", "description"]
    rows = {line.split()[0]: line.split()[1] for line in lines[1:]}
    assert rows == {d.name: d.task for d in list_datasets()}
    assert rows["spirals"] == "multiclass" and rows["sine"] == "regression"


def test_no_command_prints_help_and_exits_2(cli):
    code, out, err = cli()
    assert code == 2 and "train" in out and "datasets" in out
