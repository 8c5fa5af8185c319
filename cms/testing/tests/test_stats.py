import pytest

from cms.testing.stats import percentile


def test_percentile_is_the_nearest_rank_one_of_the_values():
    twenty = [float(n) for n in range(20, 0, -1)]  # unsorted: 20 down to 1
    assert percentile(twenty, 0.95) == 19.0  # ceil(19.0): the 19th smallest
    assert percentile(twenty, 0.5) == 10.0  # the lower middle, not 10.5
    assert percentile(twenty, 1) == 20.0
    assert percentile(twenty, 0.01) == 1.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([0.25], 0.95) == 0.25
    # 0.07 * 100 is 7.000000000000001 in floating point: still the 7th smallest.
    assert percentile([float(n) for n in range(1, 101)], 0.07) == 7.0
    assert percentile([float(n) for n in range(1, 101)], 0.95) == 95.0


@pytest.mark.parametrize(("values", "share"), [([], 0.5), ([1.0], 0), ([1.0], 95), ([1.0], -0.5)])
def test_percentile_refuses_no_values_and_a_share_outside_0_to_1(values, share):
    with pytest.raises(ValueError):
        percentile(values, share)
