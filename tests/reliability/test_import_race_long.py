"""The import race of tests/api/test_import_race.py, 40 rounds.

Only in `make reliability` (HL_REL_FULL=1); `make test` runs the api
layer's 8 rounds.
"""
import unittest

from tests.api import test_import_race
from tests.reliability.rel import FULL


@unittest.skipUnless(FULL, 'the long version: make reliability')
class ImportRaceLong(test_import_race.ImportRace):
    rounds = 40


if __name__ == '__main__':
    unittest.main()
