"""`import chainrule` stays NumPy-only; chainrule.sklearn names its extra without sklearn."""
import subprocess
import sys


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)


def test_import_chainrule_does_not_import_sklearn_or_dask():
    out = _run("import sys, chainrule; print(sorted(m for m in ('sklearn', 'distributed', "
               "'threadpoolctl', 'chainrule.sklearn') if m in sys.modules))")
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr


def test_missing_sklearn_names_the_extra():
    out = _run("import sys; sys.modules['sklearn'] = None; import chainrule.sklearn")
    assert out.returncode != 0 and 'pip install "chainrule[sklearn]"' in out.stderr
