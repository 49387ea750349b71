"""Build step for geomap's one compiled module; everything else is in pyproject.toml.

``geomap._ctokens`` is the tokeniser and candidate-span finder of ``geomap.geoparse`` in C. It is
optional: where no C compiler is found the build goes on without it and geomap runs the same
code in Python (slower, same answers).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("geomap._ctokens", ["geomap/_ctokens.c"], optional=True)])
