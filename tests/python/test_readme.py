"""README.md's Python example runs as written (from a scratch folder) and learns CartPole."""
import contextlib
import io
import re

from conftest import REPO


def test_readme_python_example(tmp_path, monkeypatch):
    text = (REPO / "README.md").read_text()
    m = re.search(r"<!-- python-example -->\n```python\n(.*?)```", text, re.S)
    assert m, "README.md lost its python-example block"
    code = m.group(1)
    assert len(code.strip().splitlines()) <= 10
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    scope = {}
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), scope)
    assert (tmp_path / "cartpole.safetensors").exists()
    assert out.getvalue().startswith("greedy return ")
    assert scope["mean"] >= 300, out.getvalue()  # seed 2 reaches 500 (the maximum)
