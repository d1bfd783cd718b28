"""Digital-address codes: round trip, forgiving input, and the check symbol's guarantees."""
import random

import pytest

from assets import codes

RNG = random.Random(20250701)
SAMPLE = [codes.random_code() for _ in range(200)]
# Test ids must be the same in every pytest worker (xdist compares them): drawn from the seed.
FIXED_SAMPLE = [codes.with_check("".join(RNG.choice(codes.ALPHABET)
                                         for _ in range(codes.BODY_LENGTH))) for _ in range(20)]


def test_random_codes_are_valid_and_use_only_the_alphabet():
    for code in SAMPLE:
        assert len(code) == codes.LENGTH
        assert set(code) <= set(codes.ALPHABET)
        assert codes.is_valid(code)


def test_alphabet_has_no_letters_that_read_like_digits_or_a_rude_u():
    assert len(codes.ALPHABET) == 32
    assert not set("ILOU") & set(codes.ALPHABET)


@pytest.mark.parametrize("code", FIXED_SAMPLE)
def test_group_and_normalize_round_trip(code):
    grouped = codes.group(code)
    assert grouped == f"{code[:4]}-{code[4:]}"
    assert codes.normalize(grouped) == code
    assert codes.normalize(grouped.lower()) == code
    assert codes.normalize(" " + " ".join(code.lower()) + " ") == code


def test_forgiving_input_reads_look_alike_letters():
    code = codes.with_check("0110ABC")
    typed = "oIlO-abc" + code[-1].lower()
    assert codes.normalize(typed) == code
    assert codes.is_valid(typed)


def test_every_single_symbol_error_is_caught_on_many_codes():
    missed = [
        (code, i, symbol)
        for code in SAMPLE
        for i in range(codes.LENGTH)
        for symbol in codes.ALPHABET
        if symbol != code[i] and codes.is_valid(code[:i] + symbol + code[i + 1:])
    ]
    assert missed == []


def test_every_adjacent_swap_is_caught_on_many_codes():
    missed = []
    for code in SAMPLE:
        for i in range(codes.LENGTH - 1):
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            if swapped != code and codes.is_valid(swapped):
                missed.append((code, i))
    assert missed == []


def test_every_single_error_and_adjacent_swap_caught_for_all_symbol_pairs():
    """Exhaustive: the check is linear over GF(32), so an error is caught whatever the other
    symbols are iff it changes the weighted sum; try every position and every symbol pair
    (including the check symbol's own position) on one base code per pair."""
    weights = codes.WEIGHTS + [1]  # the check symbol enters the sum with weight 1
    for i, weight in enumerate(weights):
        for a in range(32):
            for b in range(32):
                if a == b:
                    continue
                assert codes._gf_mul(weight, a ^ b) != 0, (i, a, b)
                if i + 1 < len(weights):
                    # swapping a,b at i,i+1 changes the sum by (w_i ^ w_i+1)·(a ^ b)
                    assert codes._gf_mul(weight ^ weights[i + 1], a ^ b) != 0, (i, a, b)
    # and the real function agrees on every symbol pair at every adjacent position
    base = list(codes.with_check("0000000"))
    for i in range(codes.LENGTH - 1):
        for a in codes.ALPHABET:
            for b in codes.ALPHABET:
                if a == b:
                    continue
                body = base[:]
                body[i], body[i + 1] = a, b
                code = "".join(body)
                swapped = code[:i] + b + a + code[i + 2:]
                assert not (codes.is_valid(code) and codes.is_valid(swapped)), (code, i)


def test_corrections_offer_the_intended_code_for_a_typo():
    for code in SAMPLE[:50]:
        i = RNG.randrange(codes.LENGTH)
        wrong = code[:i] + RNG.choice([s for s in codes.ALPHABET if s != code[i]]) + code[i + 1:]
        assert code in codes.corrections(wrong)
        j = RNG.randrange(codes.LENGTH - 1)
        swapped = code[:j] + code[j + 1] + code[j] + code[j + 2:]
        if swapped != code:
            assert code in codes.corrections(swapped.lower())


def test_corrections_are_empty_for_valid_or_malformed_input():
    assert codes.corrections(SAMPLE[0]) == []
    assert codes.corrections("ABC") == []
    assert codes.corrections("") == []
