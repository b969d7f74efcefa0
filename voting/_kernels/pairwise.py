"""Pairwise-count kernels: ``support[a, b]`` = weight of ballots ranking ``a`` above ``b``.

Method: SIMD compares of small keys, summed without per-pair branches
--------------------------------------------------------------------
1. **Keys.** A ballot's tiers become int8 keys: ``lo[d] = min(rank[d], 127)`` and
   ``hi[d] = lo[d]``, except that under ``"ignore"`` an unranked ``hi[d]`` is -1.
   Candidate ``c`` beats ``d`` on the ballot exactly when ``hi[d] > lo[c]``: ties
   are equal keys; under ``"last"`` an unranked ``d`` has ``hi = 127`` above every
   tier and an unranked ``c`` has ``lo = 127`` below nothing; under ``"ignore"`` an
   unranked ``d`` has ``hi = -1`` and an unranked ``c`` still ``lo = 127``. Lanes
   past C never compare greater than a threshold. The keys are built in registers
   from vector loads of the rank rows. For C > 64 the tiers are shifted by -127
   so that int8 holds 254 candidates (int16 65534, int32 beyond).
2. **Compare.** For each candidate ``c``, one SIMD compare of the whole key vector
   against a broadcast of ``lo[c]`` gives, lane ``d``, whether ``c`` beats ``d``.
3. **Sum**, by the number of candidates:

   - **C <= 16** (``_count_small``): a move-mask turns the compare into a bit
     mask; a 64-bit word packs the masks of ``G = 64 / S`` ballots (``S`` = 8 or
     16), interleaved (bit ``d·G + g``: ballot ``g`` beats ``d``,
     ``_group_masks``). The words go into *bit-sliced* counters, each bit position
     counting one ordered pair: a Harley-Seal carry-save network (``_csa16``, 15
     carry-save adders for 16 words, vectorised 4 candidates at a time) fills
     levels 0-3 and emits a "sixteens" word, a second network levels 4-7, and a
     ripple-carry counter of ``top_levels`` levels the rest.
   - **17 <= C <= 64** (``_count_mid``): a move-mask per 32 lanes would be the
     bottleneck (one per cycle on x86), so the compare results (0 or 1 per lane)
     of 4 ballots are added straight into uint8 counters, one 32- or 64-byte row
     per candidate (``_byte_counts``), flushed every 252 ballots.
   - **C > 64** (``_count_wide``): one ballot at a time, ``⌈C/64⌉`` mask words
     per candidate (``_gt_mask``), into the bit-sliced counters.

   Ballots of weight ``w <= _REPEAT`` are counted ``w`` times; heavier ones add
   ``w`` straight into the int64 matrix.
4. **Flush.** Counters are expanded into the int64 matrix at the end and before
   they could overflow (the top bit-sliced counter after ``2**(8 + top_levels)``
   ballots, the byte counters after 252), so no counter wraps and every count is
   exact for totals below 2**63.

Runtime complexity: O(V·C²/64) word operations for V ballots (bit-sliced: C·S/64
words per ballot, ``S < 2·C``; ``C·⌈C/64⌉`` for C > 64) and O(V·C²/32) byte-lane
additions in 32-lane instructions for 17 <= C <= 64, against O(V·C²) compares and
branches for the plain loop; plus O(C·max(C, 64)) per flush.

Details that matter as much as the operation count, found by measuring:

- plain vector loads of the rank rows, masked loads only for the last rows of the
  array (on AMD Zen, masked loads defeat the hardware prefetcher);
- a full batch of 16 mask rows is summed one batch later, and (for C > 64) keys
  are built ``_AHEAD - 1`` ballots ahead, so that wide loads never wait for the
  narrow stores that wrote their bytes (a failed store-to-load forward);
- helpers get arrays plus indices, never views or ``inline="always"``: both add
  atomic reference-count updates per call, which cost more than a ballot's work;
- scalar arguments are passed as ``np.int64(...)``: a literal argument makes
  numba compile one more specialization of the callee.

The parallel kernel gives each of ``n_chunks`` contiguous ballot ranges its own
counters and count matrix and reduces the matrices serially (no races, no atomics).
The four LLVM intrinsics have pure-Python equivalents (``_*_py``), used under
``NUMBA_DISABLE_JIT=1`` and by the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba
import numpy as np
from llvmlite import binding as llvm  # type: ignore[import-untyped]
from llvmlite import ir
from numba import njit, prange, types
from numba.core import cgutils
from numba.extending import intrinsic

from voting._kernels import _config

_UNRANKED = np.int32(np.iinfo(np.int32).max)
_ONE = np.int64(1)
_BATCH = 16
"""Masks summed by one carry-save network (its fan-in)."""
_VEC = 4
"""int64 lanes per vector step of the network (one AVX2 register)."""
_TOP_LEVELS = 16
"""Bit levels above the two networks: the top counter holds 2**(8 + 16) ballots."""
_AHEAD = 4
"""Keys are built this many ballots ahead of their use (a power of two)."""
_BYTE_GROUP = 4
"""Ballots per call of ``_byte_counts`` (17 <= C <= 64)."""
_BYTE_FLUSH = 63
"""Calls of ``_byte_counts`` between flushes: 63·4 = 252 < 256 keeps uint8 exact."""
_REPEAT = 4
"""For C <= 64, a ballot of weight up to this is counted as that many unit ballots:
cheaper than the direct weighted add, which costs about 5 unit ballots."""


# --------------------------------------------------------------------------- adder
def _adder_network(x: Any, ones: Any, twos: Any, fours: Any, eights: Any, csa: Any) -> Any:
    """Harley-Seal: add the 16 one-bit inputs ``x`` to a 4-level bit-sliced counter.

    ``csa(a, b, c)`` must return ``(carry, sum)`` of a carry-save adder. Returns the
    new ``ones, twos, fours, eights`` and the ``sixteens`` carry-out (one 15-adder
    network; shared by the LLVM intrinsic and the pure-Python fallback).
    """
    ta, ones = csa(ones, x[0], x[1])
    tb, ones = csa(ones, x[2], x[3])
    fa, twos = csa(twos, ta, tb)
    ta, ones = csa(ones, x[4], x[5])
    tb, ones = csa(ones, x[6], x[7])
    fb, twos = csa(twos, ta, tb)
    ea, fours = csa(fours, fa, fb)
    ta, ones = csa(ones, x[8], x[9])
    tb, ones = csa(ones, x[10], x[11])
    fa, twos = csa(twos, ta, tb)
    ta, ones = csa(ones, x[12], x[13])
    tb, ones = csa(ones, x[14], x[15])
    fb, twos = csa(twos, ta, tb)
    eb, fours = csa(fours, fa, fb)
    sixteens, eights = csa(eights, ea, eb)
    return ones, twos, fours, eights, sixteens


def _csa_py(a: Any, b: Any, c: Any) -> tuple[Any, Any]:
    u = a ^ b
    return (a & b) | (u & c), u ^ c


def _gt_mask_py(keys: Any, row: int, col: int, thr: Any, width: int) -> np.int64:
    """Bit ``i`` of the result is ``keys[row, col + i] > thr`` for ``i < width``."""
    bits = 0
    for i in range(width):
        if keys[row, col + i] > thr:
            bits |= 1 << i
    return np.int64(bits - (1 << 64) if bits >> 63 else bits)


def _csa16_py(inp: Any, in_row: int, acc: Any, st_row: int, out_row: int, n: int) -> None:
    """Pure-Python ``_csa16`` (used when ``NUMBA_DISABLE_JIT=1``)."""
    sl = slice(n, n + _VEC)
    x = [inp[in_row + k, sl].copy() for k in range(_BATCH)]
    st = [acc[st_row + j, sl].copy() for j in range(4)]
    *new, sixteens = _adder_network(x, st[0], st[1], st[2], st[3], _csa_py)
    for j in range(4):
        acc[st_row + j, sl] = new[j]
    acc[out_row, sl] = sixteens


def _group_masks_py(
    ranks: Any, rows: Any, ignore: bool, out: Any, out_row: int, s_bits: int
) -> None:
    """Pure-Python ``_group_masks`` (used when ``NUMBA_DISABLE_JIT=1``)."""
    size = 1 << s_bits
    n_cands = ranks.shape[1]
    for c in range(n_cands):
        bits = 0
        for g in range(64 // size):
            r = rows[g]
            if r < 0:
                continue
            t = min(int(ranks[r, c]), 127)
            for d in range(n_cands):
                k = min(int(ranks[r, d]), 127)
                if ignore and k == 127:
                    k = -1
                if k > t:
                    bits |= 1 << (d * (64 // size) + g)
        out[out_row, c] = np.int64(bits - (1 << 64) if bits >> 63 else bits)


@intrinsic
def _gt_mask_ir(typingctx, keys, row, col, thr, width):
    """SIMD ``keys[row, col:col + width] > thr`` as an int64 bitmask (width 32 or 64).

    ``keys`` is a C-contiguous 2-D array; the lanes read must lie inside its row.
    """
    if not isinstance(width, types.IntegerLiteral) or width.literal_value not in (32, 64):
        return None
    n = width.literal_value

    def codegen(context, builder, signature, args):
        kty = signature.args[0]
        first = _elem_ptr(context, builder, kty, args[0], args[1], args[2])
        vty = ir.VectorType(context.get_data_type(kty.dtype), n)
        vec = builder.load(builder.bitcast(first, vty.as_pointer()), align=1)
        t = context.cast(builder, args[3], signature.args[3], kty.dtype)
        undef = ir.Constant(vty, ir.Undefined)
        one = builder.insert_element(undef, t, ir.Constant(ir.IntType(32), 0))
        zeros = ir.Constant(ir.VectorType(ir.IntType(32), n), [0] * n)
        splat = builder.shuffle_vector(one, undef, zeros)
        bits = builder.bitcast(builder.icmp_signed(">", vec, splat), ir.IntType(n))
        return bits if n == 64 else builder.zext(bits, ir.IntType(64))

    return types.int64(keys, types.intp, types.intp, thr, width), codegen


def _elem_ptr(context, builder, aty, aval, row, col):
    """Pointer to ``a[row, col]`` of a C-contiguous 2-D array (no index checks)."""
    arr = context.make_array(aty)(context, builder, aval)
    ncols = cgutils.unpack_tuple(builder, arr.shape, 2)[1]
    return builder.gep(arr.data, [builder.add(builder.mul(row, ncols), col)])


@intrinsic
def _csa16_ir(typingctx, inp, in_row, acc, st_row, out_row, n):
    """Carry-save network on lanes ``n:n + 4``, as explicit 4 x int64 vectors.

    Adds rows ``inp[in_row:in_row + 16]`` to the 4-level counter in rows
    ``acc[st_row:st_row + 4]`` and writes the sixteens to row ``acc[out_row]``.
    """
    sig = types.void(inp, types.intp, acc, types.intp, types.intp, types.intp)

    def codegen(context, builder, signature, args):
        inp_t, _, acc_t, _, _, _ = signature.args
        inp_v, in_row, acc_v, st_row, out_row, col = args
        vptr = ir.VectorType(ir.IntType(64), _VEC).as_pointer()

        def ptr(aty, aval, row, k):
            row = builder.add(row, ir.Constant(ir.IntType(64), k))
            return builder.bitcast(_elem_ptr(context, builder, aty, aval, row, col), vptr)

        def csa(a, b, c):
            u = builder.xor(a, b)
            return builder.or_(builder.and_(a, b), builder.and_(u, c)), builder.xor(u, c)

        x = [builder.load(ptr(inp_t, inp_v, in_row, k), align=8) for k in range(_BATCH)]
        st = [builder.load(ptr(acc_t, acc_v, st_row, j), align=8) for j in range(4)]
        *new, sixteens = _adder_network(x, st[0], st[1], st[2], st[3], csa)
        for j in range(4):
            builder.store(new[j], ptr(acc_t, acc_v, st_row, j), align=8)
        builder.store(sixteens, ptr(acc_t, acc_v, out_row, 0), align=8)
        return context.get_dummy_value()

    return sig, codegen


def _splat(builder, value, n):
    vty = ir.VectorType(value.type, n)
    one = builder.insert_element(
        ir.Constant(vty, ir.Undefined), value, ir.Constant(ir.IntType(32), 0)
    )
    return builder.shuffle_vector(
        one, ir.Constant(vty, ir.Undefined), ir.Constant(ir.VectorType(ir.IntType(32), n), [0] * n)
    )


def _masked_load(builder, ptr, n, mask, passthru):
    """``llvm.masked.load`` of ``n`` int32 lanes (masked-off lanes are not read)."""
    vty = ir.VectorType(ir.IntType(32), n)
    suffix = "p0" if llvm.llvm_version_info[0] >= 15 else f"p0v{n}i32"
    name = f"llvm.masked.load.v{n}i32.{suffix}"
    module = builder.module
    fn = module.globals.get(name)
    if fn is None:
        fnty = ir.FunctionType(vty, [vty.as_pointer(), ir.IntType(32), mask.type, vty])
        fn = ir.Function(module, fnty, name=name)
    return builder.call(
        fn, [builder.bitcast(ptr, vty.as_pointer()), ir.Constant(ir.IntType(32), 4), mask, passthru]
    )


def _load_rows(builder, rk, rw, count, size):
    """Rows ``rw[0:count]`` of the rank array ``rk`` as ``<size x i32>`` vectors.

    Lanes past C, and every lane of a row index < 0 (an empty slot), read as 0: a
    key greater than no threshold, so they never count. A plain vector load (then a
    select) where all ``size`` lanes lie inside the array, which the hardware
    prefetchers follow; a masked load for the last rows only.
    """
    i32, i64 = ir.IntType(32), ir.IntType(64)
    n_v, n_c = cgutils.unpack_tuple(builder, rk.shape, 2)
    total = builder.mul(n_v, n_c)
    lane = ir.Constant(ir.VectorType(i32, size), list(range(size)))
    # lanes < C: loop-invariant, hoisted out of the ballot loop by LLVM
    in_row = builder.icmp_signed("<", lane, _splat(builder, builder.trunc(n_c, i32), size))
    none = ir.Constant(in_row.type, None)
    vty = ir.VectorType(i32, size)
    zero = ir.Constant(vty, None)
    parts = []
    for g in range(count):
        r = builder.load(builder.gep(rw.data, [ir.Constant(i64, g)]))
        valid = builder.icmp_signed(">=", r, ir.Constant(i64, 0))
        first = builder.gep(
            rk.data, [builder.mul(builder.select(valid, r, ir.Constant(i64, 0)), n_c)]
        )
        end = builder.add(builder.mul(r, n_c), ir.Constant(i64, size))
        inside = builder.and_(valid, builder.icmp_signed("<=", end, total))
        with builder.if_else(inside) as (then, otherwise):
            with then:
                plain = builder.load(builder.bitcast(first, vty.as_pointer()), align=4)
                plain = builder.select(in_row, plain, zero)
                bb_then = builder.block
            with otherwise:
                mask = builder.select(valid, in_row, none)
                masked = _masked_load(builder, first, size, mask, zero)
                bb_else = builder.block
        phi = builder.phi(vty)
        phi.add_incoming(plain, bb_then)
        phi.add_incoming(masked, bb_else)
        parts.append(phi)
    return parts


def _lo8(builder, x):
    """int8 threshold keys ``min(tier, 127)`` of ``<n x i32>`` tiers (module doc, step 1)."""
    n = len(x.type)
    cap32 = ir.Constant(ir.VectorType(ir.IntType(32), n), [127] * n)
    x = builder.select(builder.icmp_unsigned(">", x, cap32), cap32, x)
    return builder.trunc(x, ir.VectorType(ir.IntType(8), n))


def _hi8(builder, lo8, ignore):
    """The compared-side keys: ``lo8``, with unranked (127) dropped to -1 if ``ignore``."""
    n = len(lo8.type)
    v8 = ir.VectorType(ir.IntType(8), n)
    dropped = builder.select(
        builder.icmp_signed("==", lo8, ir.Constant(v8, [127] * n)), ir.Constant(v8, [-1] * n), lo8
    )
    return builder.select(ignore, dropped, lo8)


@intrinsic
def _byte_counts_ir(typingctx, ranks, rows, ignore, cnt, width):
    """Add 4 ballots' pairwise wins to uint8 counters: ``cnt[c, d] += #{c beats d}``.

    The ballots are rows ``rows[0:4]`` of ``ranks`` (none when negative); ``width``
    (32 or 64, >= C) lanes per candidate. Per candidate: 4 broadcasts of its keys,
    4 SIMD compares of ``width`` lanes, summed and added to its counter row; no
    move-mask, whose one-per-cycle throughput bounds ``_group_masks`` at C > 32.

    Preconditions (validated by caller): ``cnt`` is C-contiguous ``(C, width)``
    uint8 and flushed before any lane can pass 255 (63 calls).
    """
    if not isinstance(width, types.IntegerLiteral) or width.literal_value not in (32, 64):
        return None
    n = width.literal_value
    sig = types.void(ranks, rows, types.boolean, cnt, width)

    def codegen(context, builder, signature, args):
        rk_t, rows_t, _, cnt_t, _ = signature.args
        i8, i64 = ir.IntType(8), ir.IntType(64)
        v8 = ir.VectorType(i8, n)
        rk = context.make_array(rk_t)(context, builder, args[0])
        rw = context.make_array(rows_t)(context, builder, args[1])
        n_c = cgutils.unpack_tuple(builder, rk.shape, 2)[1]
        buf = cgutils.alloca_once(builder, ir.ArrayType(v8, _BYTE_GROUP))
        his = []
        for b, x in enumerate(_load_rows(builder, rk, rw, _BYTE_GROUP, n)):
            lo8 = _lo8(builder, x)
            hi8 = _hi8(builder, lo8, args[2])
            builder.store(lo8, builder.gep(buf, [ir.Constant(i64, 0), ir.Constant(i64, b)]))
            his.append(hi8)
        bytes_ = builder.bitcast(buf, i8.as_pointer())
        counts = context.make_array(cnt_t)(context, builder, args[3])
        with cgutils.for_range(builder, n_c) as loop:
            c = loop.index
            total = None
            for b, hi8 in enumerate(his):
                t = builder.load(builder.gep(bytes_, [builder.add(c, ir.Constant(i64, b * n))]))
                gt = builder.zext(builder.icmp_signed(">", hi8, _splat(builder, t, n)), v8)
                total = gt if total is None else builder.add(total, gt)
            row = builder.bitcast(
                builder.gep(counts.data, [builder.mul(c, ir.Constant(i64, n))]), v8.as_pointer()
            )
            builder.store(builder.add(builder.load(row, align=1), total), row, align=1)
        return context.get_dummy_value()

    return sig, codegen


def _byte_counts_py(ranks: Any, rows: Any, ignore: bool, cnt: Any, width: int) -> None:
    """Pure-Python ``_byte_counts`` (used when ``NUMBA_DISABLE_JIT=1``)."""
    n_cands = ranks.shape[1]
    for b in range(_BYTE_GROUP):
        r = rows[b]
        if r < 0:
            continue
        keys = [min(int(x), 127) for x in ranks[r]]
        for c in range(n_cands):
            for d in range(n_cands):
                k = -1 if ignore and keys[d] == 127 else keys[d]
                if k > keys[c]:
                    cnt[c, d] += 1


@intrinsic
def _group_masks_ir(typingctx, ranks, rows, ignore, out, out_row, s_bits):
    """Masks of ``G = 64 >> s_bits`` ballots at once (``s_bits`` 3 or 4: G = 8 or 4),
    one int64 word per candidate.

    Ballot ``g`` of the group is row ``rows[g]`` of ``ranks`` (none when negative).
    With ``2**s_bits >= C``, bit ``d·G + g`` of ``out[out_row, c]`` is set when that
    ballot ranks ``c`` above ``d`` under the policy (module doc, step 2). The tiers
    are read with vector loads (masked for the last rows of the array), narrowed
    to int8 keys and interleaved in registers, and compared 64 lanes at a time
    against a broadcast of the G keys of ``c``.
    """
    if not isinstance(s_bits, types.IntegerLiteral) or s_bits.literal_value not in (3, 4):
        return None
    size = 1 << s_bits.literal_value
    group = 64 // size
    sig = types.void(ranks, rows, types.boolean, out, types.intp, s_bits)

    def codegen(context, builder, signature, args):
        rk_t, rows_t, _, out_t, _, _ = signature.args
        i8, i32, i64 = ir.IntType(8), ir.IntType(32), ir.IntType(64)
        rk = context.make_array(rk_t)(context, builder, args[0])
        rw = context.make_array(rows_t)(context, builder, args[1])
        n_c = cgutils.unpack_tuple(builder, rk.shape, 2)[1]
        parts = _load_rows(builder, rk, rw, group, size)
        while len(parts) > 1:  # concatenate into <64 x i32>
            m = len(parts[0].type)
            idx = ir.Constant(ir.VectorType(i32, 2 * m), list(range(2 * m)))
            parts = [
                builder.shuffle_vector(parts[k], parts[k + 1], idx) for k in range(0, len(parts), 2)
            ]
        lo8 = _lo8(builder, parts[0])
        # interleave the ballots: lane d·G + g = ballot g, candidate d
        tr = [(i % group) * size + i // group for i in range(64)]
        lo8 = builder.shuffle_vector(lo8, lo8, ir.Constant(ir.VectorType(i32, 64), tr))
        hi8 = _hi8(builder, lo8, args[2])
        # thresholds: the G keys of candidate c are the G adjacent bytes c·G.., so one
        # broadcast of a (8·G)-bit word from this spill gives the threshold vector
        buf = cgutils.alloca_once(builder, ir.VectorType(i8, 64))
        builder.store(lo8, buf)
        tword = ir.IntType(8 * group)
        tp0 = builder.bitcast(buf, tword.as_pointer())
        dst = context.make_array(out_t)(context, builder, args[3])
        row0 = builder.gep(
            dst.data, [builder.mul(args[4], cgutils.unpack_tuple(builder, dst.shape, 2)[1])]
        )
        with cgutils.for_range(builder, n_c) as loop:
            c = loop.index
            t = builder.load(builder.gep(tp0, [c]), align=1)
            thr = builder.bitcast(_splat(builder, t, 64 // group), ir.VectorType(i8, 64))
            gt = builder.icmp_signed(">", hi8, thr)
            builder.store(builder.bitcast(gt, i64), builder.gep(row0, [c]))
        return context.get_dummy_value()

    return sig, codegen


# numba's own type stubs (0.63+) do not declare the config flag, hence getattr
_JIT_DISABLED: bool = bool(getattr(numba.config, "DISABLE_JIT"))  # noqa: B009
_gt_mask: Callable[..., Any] = _gt_mask_py if _JIT_DISABLED else _gt_mask_ir
_csa16: Callable[..., Any] = _csa16_py if _JIT_DISABLED else _csa16_ir
_group_masks: Callable[..., Any] = _group_masks_py if _JIT_DISABLED else _group_masks_ir
_byte_counts: Callable[..., Any] = _byte_counts_py if _JIT_DISABLED else _byte_counts_ir

# Rows of the per-thread accumulator array ``acc`` (all ``lanes`` wide, int64).
_ST1 = 0  # levels 0-3: ones, twos, fours, eights
_IN2 = 4  # 16 rows of sixteens awaiting the second network
_ST2 = 20  # levels 4-7
_CARRY = 24  # 256s out of the second network
_TOP = 25  # levels 8, 9, ...: ``top_levels`` rows


# ------------------------------------------------------------------------ helpers
@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _flush_levels(acc, row0, n_lev, shift, out, n_cands, n_words, s_bits):
    """Add a bit-sliced counter held in ``acc[row0:row0 + n_lev]`` to ``out``; clear it.

    Row ``row0 + k``, lane ``c·n_words + j``, bit ``b`` holds bit ``k`` (worth
    ``2**(shift + k)``) of a count of ``out[c, 64·j + b // 2**(6 - s_bits)]``: with
    ``s_bits < 6`` a word interleaves several ballots (``_group_masks``), whose
    counts for the same pair add up here.

    Preconditions (validated by caller): ``shift + n_lev < 63``; ``n_words == 1``
    when ``s_bits < 6``. Runtime complexity: O(C·⌈C/64⌉·64·n_lev).
    """
    g_bits = 6 - s_bits
    for c in range(n_cands):
        for j in range(n_words):
            lane = c * n_words + j
            base = 64 * j
            for b in range(64):
                d = base + (b >> g_bits)
                if d >= n_cands:
                    continue
                s = np.int64(0)
                for k in range(n_lev):
                    s += ((acc[row0 + k, lane] >> b) & _ONE) << (shift + k)
                out[c, d] += s
            for k in range(n_lev):
                acc[row0 + k, lane] = 0


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _add_weighted(masks, row, w, out, n_cands, n_words, g_bits):
    """``out[c, d] += w`` for every candidate ``d`` in the masks ``masks[row, c, :]``.

    Candidate ``64·j + b`` is bit ``b << g_bits`` of word ``j`` (``g_bits > 0`` for
    the first ballot of a ``_group_masks`` word, with ``n_words == 1``).

    Preconditions (validated by caller): ``out`` does not overflow.
    Runtime complexity: O(C²).
    """
    for c in range(n_cands):
        for j in range(n_words):
            m = masks[row, c, j]
            base = 64 * j
            for b in range(min(64 >> g_bits, n_cands - base)):
                out[c, base + b] += (-((m >> (b << g_bits)) & _ONE)) & w


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _sum_masks(in1, row0, acc, s2, n_top, top_levels, out, n_cands, n_words, s_bits):
    """Add the 16 mask rows ``in1[row0:row0 + 16]`` to the bit-sliced counters.

    The first network adds them to levels 0-3 and queues the sixteens; every 16
    queued rows, the second network adds those to levels 4-7 and its 256s ripple
    into the ``top_levels`` rows of levels 8 and up, which are flushed into ``out``
    once they hold ``2**top_levels - 1`` carries, so that no counter overflows.

    Returns the updated ``(s2, n_top)``: queued rows and carries held in ``top``.

    Preconditions (validated by caller): arrays as built by ``_count_small``.
    Runtime complexity: O(lanes) amortised (O(lanes·top_levels) every 256 calls).
    """
    lanes = in1.shape[1]
    for n in range(0, lanes, _VEC):
        _csa16(in1, row0, acc, _ST1, _IN2 + s2, n)
    s2 += 1
    if s2 == _BATCH:
        s2 = 0
        n_top = _push_top(acc, n_top, top_levels, out, n_cands, n_words, s_bits)
    return s2, n_top


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _push_top(acc, n_top, top_levels, out, n_cands, n_words, s_bits):
    """Sum the queued sixteens (second network) and ripple the 256s into ``top``.

    Returns the updated ``n_top``. Preconditions (validated by caller): all 16
    rows of ``acc[_IN2:_IN2 + 16]`` are valid (zero-padded if partly filled).
    Runtime complexity: O(lanes·top_levels), plus O(C²·top_levels) on a flush.
    """
    lanes = acc.shape[1]
    for n in range(0, lanes, _VEC):
        _csa16(acc, _IN2, acc, _ST2, _CARRY, n)
    for k in range(top_levels):  # ripple-carry add at level 8
        for n in range(lanes):
            x = acc[_TOP + k, n]
            cy = acc[_CARRY, n]
            acc[_TOP + k, n] = x ^ cy
            acc[_CARRY, n] = x & cy
    n_top += 1
    if n_top == (1 << top_levels) - 1:
        _flush_levels(acc, np.int64(_TOP), top_levels, np.int64(8), out, n_cands, n_words, s_bits)
        n_top = 0
    return n_top


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _drain(in1, acc, slot, pend, s2, n_top, top_levels, out, n_cands, n_words, s_bits):
    """Sum every mask row still queued, then flush all counter levels into ``out``.

    Preconditions (validated by caller): the state left by a counting loop.
    Runtime complexity: O(lanes·top_levels + C·⌈C/64⌉·64·top_levels).
    """
    if pend >= 0:
        s2, n_top = _sum_masks(in1, pend, acc, s2, n_top, top_levels, out, n_cands, n_words, s_bits)
    if slot % _BATCH:  # a partial batch: pad with empty masks
        first = slot - slot % _BATCH
        in1[slot : first + _BATCH] = 0
        s2, n_top = _sum_masks(
            in1, first, acc, s2, n_top, top_levels, out, n_cands, n_words, s_bits
        )
    if s2:  # a partial batch of sixteens
        acc[_IN2 + s2 : _IN2 + _BATCH] = 0
        n_top = _push_top(acc, n_top, top_levels, out, n_cands, n_words, s_bits)
    four = np.int64(4)
    _flush_levels(acc, np.int64(_ST1), four, np.int64(0), out, n_cands, n_words, s_bits)
    _flush_levels(acc, np.int64(_ST2), four, four, out, n_cands, n_words, s_bits)
    _flush_levels(acc, np.int64(_TOP), top_levels, np.int64(8), out, n_cands, n_words, s_bits)


# ------------------------------------------------------------------------ kernels
@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _count_small(ranks, weights, lo, hi, ignore, out, top_levels):
    """Add the pairwise counts of ballots ``lo:hi`` to ``out``, for C <= 16.

    Unit-weight ballots are taken ``64 / S`` at a time (``S`` = 8 or 16, the power
    of two >= max(C, 8)) and their masks packed into one word per candidate by
    ``_group_masks``; the words go through the carry-save networks, 16 rows per
    step, each row summed one batch after it is filled (so that its vector loads
    never wait on the stores that filled it). A ballot of weight ``w <= _REPEAT``
    is pushed ``w`` times; a heavier one adds ``w`` straight into ``out``.

    Parameters
    ----------
    ranks : (V, C) int32
    weights : (V,) int64
    lo, hi : int
        The ballot range.
    ignore : bool
        ``unranked="ignore"`` when True, ``"last"`` when False.
    out : (C, C) int64
        Accumulated in place.
    top_levels : int
        Depth of the top counter, 1 to 54; the kernels use ``_TOP_LEVELS``, tests
        use 1 to exercise its flush.

    Notes
    -----
    Preconditions (validated by caller): C <= 16; ranks C-contiguous with every
    ranked value in ``[0, C)``; weights >= 1 with a total below 2**63.
    Runtime complexity: O((hi - lo)·C·S/64) vector operations, so O(V·C²/64) as
    S < 2·C, plus O(C²·top_levels) to flush; extra memory O(C·top_levels).
    """
    n_cands = ranks.shape[1]
    s_bits = 3 if n_cands <= 8 else 4
    per_word = 64 >> s_bits  # ballots packed in one mask word
    lanes = (n_cands + _VEC - 1) // _VEC * _VEC
    in1 = np.zeros((2 * _BATCH, lanes), dtype=np.int64)  # two batches of mask rows
    acc = np.zeros((_TOP + top_levels, lanes), dtype=np.int64)
    wm = np.zeros((1, lanes), dtype=np.int64)  # masks of one weighted ballot
    wm3 = wm.reshape((1, lanes, 1))
    rows = np.full(8, -1, dtype=np.int64)  # the unit-weight ballots of a group
    wrows = np.full(8, -1, dtype=np.int64)  # one weighted ballot
    # np.int64(...) rather than bare literals: a literal argument would make numba
    # compile a separate specialization of each helper it is passed to
    gi = np.int64(0)  # ballots in the current group
    slot = np.int64(0)  # next row of in1
    pend = np.int64(-1)  # first row of a full batch not yet summed
    s2 = np.int64(0)
    n_top = np.int64(0)
    zero, one = np.int64(0), np.int64(1)
    nxt = lo  # next ballot to read
    cur = np.int64(0)  # the ballot being pushed into groups ...
    left = np.int64(0)  # ... this many more times (its weight, if <= _REPEAT)
    w = np.int64(1)
    while True:
        weighted = False
        if left == 0:
            if nxt < hi:
                cur = nxt
                nxt += 1
                w = weights[cur]
                if w <= _REPEAT:
                    left = w
                else:  # a heavy ballot: its own masks, added times w
                    wrows[0] = cur
                    weighted = True
            elif gi > 0:  # past the end: pad the last group with empty slots
                for g in range(gi, per_word):
                    rows[g] = -1
                gi = np.int64(per_word)
            else:
                break
        if left > 0:
            rows[gi] = cur
            gi += 1
            left -= 1
            if gi < per_word:
                continue
        if weighted:
            src, dst, drow = wrows, wm, zero
        else:
            src, dst, drow = rows, in1, slot
        if s_bits == 3:
            _group_masks(ranks, src, ignore, dst, drow, 3)
        else:
            _group_masks(ranks, src, ignore, dst, drow, 4)
        if weighted:
            _add_weighted(wm3, zero, w, out, n_cands, one, 6 - s_bits)
            continue
        gi = np.int64(0)
        slot += 1
        if slot % _BATCH == 0:  # a batch is full: sum the previous one
            if pend >= 0:
                s2, n_top = _sum_masks(
                    in1, pend, acc, s2, n_top, top_levels, out, n_cands, one, s_bits
                )
            pend = slot - _BATCH
            if slot == 2 * _BATCH:
                slot = np.int64(0)
    _drain(in1, acc, slot, pend, s2, n_top, top_levels, out, n_cands, one, s_bits)


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _flush_bytes(cnt, w, out):
    """``out[c, d] += w·cnt[c, d]`` for ``d < C``, then clear ``cnt``. O(C·width)."""
    n_cands = out.shape[0]
    for c in range(n_cands):
        for d in range(n_cands):
            out[c, d] += w * np.int64(cnt[c, d])
        for d in range(cnt.shape[1]):
            cnt[c, d] = 0


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _count_mid(ranks, weights, lo, hi, ignore, out):
    """Add the pairwise counts of ballots ``lo:hi`` to ``out``, for 17 <= C <= 64.

    Byte counters instead of bit-sliced ones: ``_byte_counts`` adds 4 ballots at a
    time to a ``(C, 32 or 64)`` uint8 counter array, flushed into ``out`` every 252
    ballots. For these C it beats the masks: a mask needs a move-mask per 32 lanes
    (one per cycle on x86) and a carry-save network behind it, while here the
    compare results are summed directly. A ballot of weight ``w <= _REPEAT`` is
    counted ``w`` times; a heavier one gets its own counters, added times ``w``.

    Parameters
    ----------
    ranks, weights, lo, hi, ignore, out
        As :func:`_count_small`.

    Notes
    -----
    Preconditions (validated by caller): 17 <= C <= 64; otherwise as
    :func:`_count_small`. Runtime complexity: O((hi - lo)·C·W/32) with W the
    width, i.e. O(V·C²/32) byte-lane operations in ``W/32`` vector instructions, plus
    O(V/252·C·W) to flush; extra memory O(C·W).
    """
    n_cands = ranks.shape[1]
    wide = n_cands > 32
    width = 64 if wide else 32
    cnt = np.zeros((n_cands, width), dtype=np.uint8)
    cnt_w = np.zeros((n_cands, width), dtype=np.uint8)  # one heavy ballot
    rows = np.full(_BYTE_GROUP, -1, dtype=np.int64)
    wrows = np.full(_BYTE_GROUP, -1, dtype=np.int64)
    one = np.int64(1)
    gi = np.int64(0)
    calls = np.int64(0)
    nxt = lo
    cur = np.int64(0)
    left = np.int64(0)
    w = np.int64(1)
    while True:
        weighted = False
        if left == 0:
            if nxt < hi:
                cur = nxt
                nxt += 1
                w = weights[cur]
                if w <= _REPEAT:
                    left = w
                else:
                    wrows[0] = cur
                    weighted = True
            elif gi > 0:
                for g in range(gi, _BYTE_GROUP):
                    rows[g] = -1
                gi = np.int64(_BYTE_GROUP)
            else:
                break
        if left > 0:
            rows[gi] = cur
            gi += 1
            left -= 1
            if gi < _BYTE_GROUP:
                continue
        if weighted:
            src, dst = wrows, cnt_w
        else:
            src, dst = rows, cnt
        if wide:
            _byte_counts(ranks, src, ignore, dst, 64)
        else:
            _byte_counts(ranks, src, ignore, dst, 32)
        if weighted:
            _flush_bytes(cnt_w, w, out)
            continue
        gi = np.int64(0)
        calls += 1
        if calls == _BYTE_FLUSH:
            _flush_bytes(cnt, one, out)
            calls = np.int64(0)
    _flush_bytes(cnt, one, out)


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _count_wide(ranks, weights, lo, hi, ignore, out, key_sample, cap, off, top_levels):
    """Add the pairwise counts of ballots ``lo:hi`` to ``out``, for C > 64.

    One ballot per mask row, ``⌈C/64⌉`` words per candidate. Keys (module doc,
    step 1) are built ``_AHEAD - 1`` ballots ahead into a ring of rows, so that the
    wide loads of ``_gt_mask`` never read bytes stored a few instructions earlier.

    Parameters
    ----------
    ranks, weights, lo, hi, ignore, out, top_levels
        As :func:`_count_small`.
    key_sample : (1,) int8, int16 or int32
        Selects the key type (its dtype only); ``cap`` is that type's maximum.
    cap : scalar of the key type
    off : int
        Keys are ``min(rank, cap - off) + off`` (unranked: ``cap``; dropped under
        "ignore": ``-cap - 1``): ``off = -cap`` fits ``2·cap`` tiers in the type
        (int8 keys up to 254 candidates).

    Notes
    -----
    Preconditions (validated by caller): C > 64 and ``C <= cap - off``; otherwise
    as :func:`_count_small`. The per-ballot steps are written out in the loop rather
    than called: numba's ``inline="always"`` adds reference-count updates (atomics)
    of the array arguments at each call site, which cost more than the work.

    Runtime complexity: O((hi - lo)·C·⌈C/64⌉) word operations (O(V·C²/64)), plus
    O(C²·top_levels) to flush; extra memory O(C·⌈C/64⌉·top_levels).
    """
    n_cands = ranks.shape[1]
    n_words = (n_cands + 63) // 64
    rows = (n_cands + _VEC - 1) // _VEC * _VEC  # lane c·n_words + j: candidate c, word j
    lanes = rows * n_words
    low = -np.int64(cap) - 1  # below every key: padding, and dropped under "ignore"
    top = np.int64(cap) - off  # ranks are clipped here, so unranked becomes cap
    k_lo = np.full((_AHEAD, 64 * n_words), low, dtype=key_sample.dtype)  # ring of keys
    k_hi = np.full((_AHEAD, 64 * n_words), low, dtype=key_sample.dtype) if ignore else k_lo
    in1 = np.zeros((2 * _BATCH, lanes), dtype=np.int64)  # two batches of mask rows
    masks = in1.reshape((2 * _BATCH, rows, n_words))  # the same, by (ballot, cand, word)
    acc = np.zeros((_TOP + top_levels, lanes), dtype=np.int64)
    slot = np.int64(0)
    pend = np.int64(-1)
    s2 = np.int64(0)
    n_top = np.int64(0)
    wide = np.int64(6)  # s_bits of one ballot per word
    for v in range(lo - _AHEAD + 1, hi):
        nxt = v + _AHEAD - 1
        if lo <= nxt < hi:
            b = (nxt - lo) & (_AHEAD - 1)
            if ignore:
                for d in range(n_cands):
                    x = min(np.int64(ranks[nxt, d]), top) + off
                    k_lo[b, d] = x
                    k_hi[b, d] = low if x == cap else x
            else:
                for d in range(n_cands):
                    k_lo[b, d] = min(np.int64(ranks[nxt, d]), top) + off
        if v < lo:
            continue
        b = (v - lo) & (_AHEAD - 1)
        for c in range(n_cands):
            t = k_lo[b, c]
            for j in range(n_words):
                masks[slot, c, j] = _gt_mask(k_hi, b, 64 * j, t, 64)
        w = weights[v]
        if w != 1:  # the row is reused by the next ballot
            _add_weighted(masks, slot, w, out, n_cands, n_words, np.int64(0))
            continue
        slot += 1
        if slot % _BATCH == 0:
            if pend >= 0:
                s2, n_top = _sum_masks(
                    in1, pend, acc, s2, n_top, top_levels, out, n_cands, n_words, wide
                )
            pend = slot - _BATCH
            if slot == 2 * _BATCH:
                slot = np.int64(0)
    _drain(in1, acc, slot, pend, s2, n_top, top_levels, out, n_cands, n_words, wide)


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _count_range(ranks, weights, lo, hi, ignore, out, top_levels):
    """Add the counts of ballots ``lo:hi`` to ``out``: :func:`_count_small` for
    C <= 16, :func:`_count_mid` up to 64, else :func:`_count_wide` with the
    narrowest key type that holds C tiers.

    Preconditions (validated by caller): as :func:`_count_small`, any C.
    Runtime complexity: O((hi - lo)·C²/64 + C·max(C, 64)·top_levels).
    """
    c = ranks.shape[1]
    if c <= 16:
        _count_small(ranks, weights, lo, hi, ignore, out, top_levels)
    elif c <= 64:
        _count_mid(ranks, weights, lo, hi, ignore, out)
    elif c <= 254:
        k8 = np.zeros(1, dtype=np.int8)
        _count_wide(
            ranks, weights, lo, hi, ignore, out, k8, np.int8(127), np.int64(-127), top_levels
        )
    elif c <= 65534:
        k16 = np.zeros(1, dtype=np.int16)
        cap16 = np.int16(32767)
        _count_wide(ranks, weights, lo, hi, ignore, out, k16, cap16, np.int64(-32767), top_levels)
    else:
        k32 = np.zeros(1, dtype=np.int32)
        _count_wide(ranks, weights, lo, hi, ignore, out, k32, _UNRANKED, np.int64(0), top_levels)


@njit(fastmath=_config.FASTMATH, cache=_config.CACHE)
def _pairwise_counts_serial(ranks, weights, ignore_unranked):
    """Pairwise count matrix of all ballots, on one thread.

    Parameters
    ----------
    ranks : (V, C) int32
        C-contiguous dense tiers (0 = top, equal = tie), ``_UNRANKED`` for unranked.
    weights : (V,) int64
        Ballot weights, each >= 1.
    ignore_unranked : bool
        False (``"last"``): an unranked candidate ties below every ranked one.
        True (``"ignore"``): a pair counts only when the ballot ranks both.

    Returns
    -------
    (C, C) int64
        ``out[a, b]`` = total weight of ballots ranking ``a`` strictly above ``b``;
        the diagonal is zero.

    Notes
    -----
    Preconditions (validated by caller): every ranked value of a row is in ``[0, C)``
    (``Profile`` stores canonical dense tiers); weights >= 1 with a total below
    2**63, so that no count overflows int64.

    Runtime complexity: O(V·C²/64) vector and word operations (module doc), plus
    O(C·max(C, 64)) to flush the bit-sliced counters; extra memory O(C·⌈C/64⌉).
    """
    c = ranks.shape[1]
    out = np.zeros((c, c), dtype=np.int64)
    _count_range(
        ranks, weights, np.int64(0), ranks.shape[0], ignore_unranked, out, np.int64(_TOP_LEVELS)
    )
    return out


@_config.serialised
@njit(fastmath=_config.FASTMATH, cache=_config.CACHE, parallel=True)
def _pairwise_counts_parallel(ranks, weights, ignore_unranked, n_chunks):
    """Pairwise count matrix, the ballots split in ``n_chunks`` ranges across threads.

    Parameters
    ----------
    ranks, weights, ignore_unranked
        As :func:`_pairwise_counts_serial`.
    n_chunks : int
        Number of contiguous ballot ranges (>= 1), normally the thread count.

    Returns
    -------
    (C, C) int64
        Equal to ``_pairwise_counts_serial(ranks, weights, ignore_unranked)``.

    Notes
    -----
    Preconditions (validated by caller): as :func:`_pairwise_counts_serial`, and
    ``n_chunks >= 1``.

    Each range is counted into its own ``(C, C)`` matrix with its own counters; the
    matrices are summed serially at the end (no races, no atomics). Runtime
    complexity: O(V·C²/(64·T) + n_chunks·C·max(C, 64)) on T threads; extra memory
    O(n_chunks·C²).
    """
    v, c = ranks.shape
    partial = np.zeros((n_chunks, c, c), dtype=np.int64)
    chunk = (v + n_chunks - 1) // n_chunks
    for t in prange(n_chunks):
        lo = t * chunk
        hi = min(v, lo + chunk)
        if lo < hi:
            _count_range(ranks, weights, lo, hi, ignore_unranked, partial[t], np.int64(_TOP_LEVELS))
    out = np.zeros((c, c), dtype=np.int64)
    for t in range(n_chunks):
        out += partial[t]
    return out
