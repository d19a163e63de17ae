import subprocess
import sys

import pytest

from tools.lazy import lazy_getattr


def test_a_lazy_name_imports_its_module_only_when_asked() -> None:
    code = (
        "import sys, tools.images as t\n"
        "assert 'tools.images.registration' not in sys.modules\n"
        "t.register\n"
        "assert 'tools.images.registration' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_name_is_an_attribute_error_naming_the_package() -> None:
    getter = lazy_getattr("tools.images", {"crop": "ops"})
    assert getter("crop").__name__ == "crop"
    with pytest.raises(AttributeError, match="'tools.images' has no attribute 'nope'"):
        getter("nope")
