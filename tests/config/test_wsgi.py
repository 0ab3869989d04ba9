import os
import subprocess
import sys


def test_a_web_worker_hides_what_it_loaded_from_the_garbage_collector(tmp_path):
    """The WSGI module freezes the objects loaded at start (full collections then skip them);
    a fresh interpreter, as a granian or gunicorn worker imports it."""
    env = {**os.environ, "SITREP_DATA_DIR": str(tmp_path), "SITREP_SECRET_KEY": "wsgi-test"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = "import gc, sitrep.config.wsgi; print(gc.get_freeze_count())"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 10_000  # Django and the apps: tens of thousands of objects
