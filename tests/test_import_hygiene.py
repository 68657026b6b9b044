"""kpi_core is the product's brain: it must run without the UI libraries."""

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import kpi_core
for module in pkgutil.walk_packages(kpi_core.__path__, "kpi_core."):
    importlib.import_module(module.name)
print(len(sys.modules))
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("streamlit", "altair"))))
"""


def test_no_kpi_core_module_imports_streamlit_or_altair():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    loaded, ui_modules = out.stdout.splitlines()
    assert int(loaded) > 100  # every module really was imported
    assert ui_modules == ""
