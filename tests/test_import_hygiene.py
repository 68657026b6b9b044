"""kpi_core is the product's brain: it must run without the UI libraries."""

import subprocess
import sys


def test_kpi_core_imports_neither_streamlit_nor_altair():
    code = (
        "import sys, kpi_core, kpi_core.store, kpi_core.ingest, kpi_core.__main__, kpi_core.metrics, kpi_core.trends\n"
        "import kpi_core.content, kpi_core.benchmarks, kpi_core.scoring, kpi_core.goals, kpi_core.projection\n"
        "import kpi_core.whatif, kpi_core.baseline, kpi_core.backtest, kpi_core.export\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'altair'))\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
