"""Reading pickles from a downloaded release without ever running their code.

`pickle` rebuilds objects by calling whatever callables the stream names, so a hostile file can run
`os.system` the moment it is loaded. `SafeUnpickler.find_class` admits only the constructors that plain
data needs: containers, numbers, strings and bytes (opcodes, plus the few builtins older protocols name),
numpy arrays and scalars, pandas frames and series (the names their pickles use in pandas 1.x to 3.x,
including the Arrow buffers behind pandas 3 string columns) and PIL images. Anything else stops the load
with one line naming the archive, the member and the class.
"""

from __future__ import annotations

import io
import pickle
from _compat_pickle import IMPORT_MAPPING, NAME_MAPPING
from typing import Any

from eval.misi.release.errors import ReleaseError

_BUILTINS = {"set", "frozenset", "bytearray", "complex", "slice", "range", "bytes"}
_NUMPY = {
    f"numpy.{core}.{mod}.{name}"
    for core in ("core", "_core")
    for mod, name in (("multiarray", "_reconstruct"), ("multiarray", "scalar"), ("numeric", "_frombuffer"))
} | {"numpy.ndarray", "numpy.dtype"}
_PANDAS = {
    "pandas.DataFrame",
    "pandas.Series",
    "pandas.Index",
    "pandas.RangeIndex",
    "pandas.StringDtype",
    "pandas.arrays.ArrowStringArray",
    "pandas.arrays.StringArray",
    "pandas.core.frame.DataFrame",
    "pandas.core.series.Series",
    "pandas.core.indexes.base.Index",
    "pandas.core.indexes.base._new_Index",
    "pandas.core.indexes.range.RangeIndex",
    "pandas.core.indexes.numeric.Int64Index",
    "pandas.core.indexes.numeric.Float64Index",
    "pandas.core.internals.managers.BlockManager",
    "pandas.core.internals.managers.SingleBlockManager",
    "pandas.core.internals.blocks.new_block",
    "pandas.core.internals.blocks.Block",
    "pandas.core.internals.blocks.ObjectBlock",
    "pandas.core.internals.blocks.NumpyBlock",
    "pandas.core.internals.blocks.IntBlock",
    "pandas.core.internals.blocks.FloatBlock",
    "pandas.core.internals.blocks.BoolBlock",
    "pandas.core.arrays.string_.StringDtype",
    "pandas.core.arrays.string_.StringArray",
    "pandas.core.arrays.string_arrow.ArrowStringArray",
    "pandas._libs.internals._unpickle_block",
    "pandas._libs.internals.BlockPlacement",
    # pandas 3 keeps string columns in Arrow buffers
    "pyarrow.lib._restore_array",
    "pyarrow.lib.py_buffer",
    "pyarrow.lib.type_for_alias",
}
_PIL = {"PIL.Image.Image", "PIL.TiffImagePlugin.IFDRational"} | {
    f"PIL.{fmt}ImagePlugin.{fmt}ImageFile" for fmt in ("Png", "Jpeg", "Bmp", "Gif", "Tiff", "WebP", "Ppm")
}
ALLOWED = (
    {f"builtins.{n}" for n in _BUILTINS}
    | {"collections.OrderedDict", "_codecs.encode"}  # protocol 2 writes bytes through _codecs.encode
    # protocols 0-1 rebuild objects with copyreg._reconstructor(cls, base, state): it only calls
    # base.__new__ / base.__init__, and both classes must pass this list themselves
    | {"copyreg._reconstructor", "builtins.object"}
    | _NUMPY
    | _PANDAS
    | _PIL
)


class RefusedPickle(ReleaseError):
    """A pickle naming a class outside the allow-list; nothing from it was run."""


class SafeUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, where: str) -> None:
        super().__init__(io.BytesIO(data))
        self.where = where

    def find_class(self, module: str, name: str) -> Any:
        # protocol 0-2 pickles written by Python 2 name __builtin__ etc.; judge the Python 3 name
        if (module, name) in NAME_MAPPING:
            module, name = NAME_MAPPING[(module, name)]
        module = IMPORT_MAPPING.get(module, module)
        if f"{module}.{name}" not in ALLOWED:
            raise RefusedPickle(f"{self.where}: pickle refused: it names {module}.{name}, which is not data")
        return super().find_class(module, name)

    def persistent_load(self, pid: Any) -> Any:
        raise RefusedPickle(f"{self.where}: pickle refused: it uses persistent ids, which are not data")


def load_pickle(data: bytes, where: str) -> Any:
    """Unpickle `data` through the allow-list; `where` is "archive: member" for the error line."""
    try:
        return SafeUnpickler(data, where).load()
    except ReleaseError:
        raise
    except ImportError as exc:  # an allowed class from a library that is not installed
        raise ReleaseError(
            f"{where}: the pickle needs {exc.name}, which is not installed "
            "(pip install 'molspatial-agent[release]')"
        ) from None
    except Exception as exc:  # truncated or corrupt streams raise many types
        raise ReleaseError(f"{where}: not a readable pickle ({type(exc).__name__}: {exc})") from None
