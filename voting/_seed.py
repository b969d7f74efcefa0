"""The one seed rule: how a ``seed`` parameter becomes random draws.

Every random draw in :mod:`voting` comes from an explicit seed, so that the same input
and seed give the same output. Wherever a function or method takes a seed it accepts

- an ``int >= 0`` (Python or NumPy integer): the seed of
  :func:`numpy.random.default_rng`;
- a :class:`numpy.random.Generator`: used as it is; its state advances, so pass the
  same seed again, not the same generator, to repeat a result;
- a :class:`numpy.random.SeedSequence`, for callers that spawn independent streams;

and refuses anything else with :class:`~voting.exceptions.InvalidParameterError`:
``None`` (NumPy's "fresh entropy from the operating system", which would make a result
impossible to reproduce), ``bool``, floats and negative integers. Where a parameter
stores its seed (``voting.ties.Random(seed=3)``, shown in results), only an int is
accepted (:func:`seed_int`).

:func:`as_generator` and :func:`as_seed_sequence` turn an accepted seed into what the
caller draws from; an int gives the same draws as ``numpy.random.default_rng(seed)``
and ``numpy.random.SeedSequence(seed)``, and a generator gives the seed sequence of
four 63-bit integers drawn from it.

Examples
--------
>>> int(as_generator(3).integers(10)) == int(np.random.default_rng(3).integers(10))
True
>>> as_seed_sequence(np.random.default_rng(0)).entropy == as_seed_sequence(
...     np.random.default_rng(0)).entropy
True
>>> as_generator(None)
Traceback (most recent call last):
...
voting.exceptions.InvalidParameterError: seed=None; expected an int >= 0, a numpy ...
"""

from __future__ import annotations

from typing import Any

import numpy as np

from voting.exceptions import InvalidParameterError

__all__ = ["Seed", "as_generator", "as_seed_sequence", "check_seed", "seed_int"]

Seed = int | np.integer[Any] | np.random.Generator | np.random.SeedSequence
"""What a ``seed`` parameter accepts."""

_EXPECTED = "an int >= 0, a numpy Generator or SeedSequence"


def _refuse(seed: object, what: str, expected: str) -> InvalidParameterError:
    why = " (voting draws at random only from an explicit seed: pass seed=0, say)"
    return InvalidParameterError(
        f"{what}={seed!r}; expected {expected}{why if seed is None else ''}."
    )


def _as_int(seed: object) -> int | None:
    """``seed`` as an int if it is an int >= 0 (Python or NumPy), else None."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        return None
    value = int(seed)
    return value if value >= 0 else None


def check_seed(
    seed: object, what: str = "seed"
) -> int | np.random.Generator | np.random.SeedSequence:
    """``seed`` validated: an ``int`` (NumPy integers converted), a Generator or a
    SeedSequence.

    Raises
    ------
    InvalidParameterError
        ``"<what>=<seed!r>; expected an int >= 0, a numpy Generator or SeedSequence."``
    """
    if isinstance(seed, np.random.Generator | np.random.SeedSequence):
        return seed
    value = _as_int(seed)
    if value is None:
        raise _refuse(seed, what, _EXPECTED)
    return value


def seed_int(seed: object, what: str = "seed") -> int:
    """``seed`` as an ``int >= 0``, for parameters that store their seed.

    Raises
    ------
    InvalidParameterError
        ``"<what>=<seed!r>; expected an int >= 0."``
    """
    value = _as_int(seed)
    if value is None:
        raise _refuse(seed, what, "an int >= 0")
    return value


def as_generator(seed: object, what: str = "seed") -> np.random.Generator:
    """The generator to draw from: ``seed`` itself if a Generator, else
    ``numpy.random.default_rng(seed)``."""
    checked = check_seed(seed, what)
    if isinstance(checked, np.random.Generator):
        return checked
    return np.random.default_rng(checked)


def as_seed_sequence(seed: object, what: str = "seed") -> np.random.SeedSequence:
    """The seed sequence to spawn streams from: ``seed`` itself if a SeedSequence, one
    drawn from a Generator (four 63-bit integers), else ``SeedSequence(seed)``."""
    checked = check_seed(seed, what)
    if isinstance(checked, np.random.SeedSequence):
        return checked
    if isinstance(checked, np.random.Generator):
        return np.random.SeedSequence(checked.integers(0, 2**63, size=4).tolist())
    return np.random.SeedSequence(checked)
