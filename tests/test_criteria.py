"""ACR 2016 / 2010 fibromyalgia criteria (helpers/models/criteria.py) against hand-scored cases."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from helpers.data import DATA_DIR, DataFileError
from helpers.models import criteria as c

# Sites that give one counted region each (no jaw, chest or abdomen).
ONE_PER_REGION = ["shoulder_girdle_left", "shoulder_girdle_right", "hip_left", "hip_right", "neck"]


def symptoms(**values):
    """Symptoms with everything 0 and 24 months, unless given."""
    base = dict(fatigue=0, waking_unrefreshed=0, cognitive_symptoms=0, headaches=0,
                lower_abdominal_pain=0, depression=0, duration_months=24)
    base.update(values)
    return c.make_symptoms(**base)


def with_sss(sss: int, months: float = 24):
    """Symptoms whose SSS is ``sss`` (fill the 0-3 items first, then the 0-1 items)."""
    order = [("fatigue", 3), ("waking_unrefreshed", 3), ("cognitive_symptoms", 3),
             ("headaches", 1), ("lower_abdominal_pain", 1), ("depression", 1)]
    values, left = {}, sss
    for name, top in order:
        values[name] = min(top, left)
        left -= values[name]
    assert left == 0
    return symptoms(duration_months=months, **values)


# ---------------------------------------------------------------------------------------------
# Data file
# ---------------------------------------------------------------------------------------------
def test_nineteen_sites_in_five_regions():
    sites = c.load_sites()
    assert len(sites) == 19
    by_region = {key: [s.name for s in sites if s.region == key] for key in c.REGION_KEYS}
    assert {k: len(v) for k, v in by_region.items()} == {
        "left_upper": 4, "right_upper": 4, "left_lower": 3, "right_lower": 3, "axial": 5}
    assert set(by_region["axial"]) == {"neck", "upper_back", "lower_back", "chest", "abdomen"}
    assert set(by_region["left_upper"]) == {"jaw_left", "shoulder_girdle_left", "upper_arm_left", "lower_arm_left"}
    excluded = {s.name for s in sites if not s.in_generalized_pain}
    assert excluded == {"jaw_left", "jaw_right", "chest", "abdomen"}
    assert {s.source_id for s in sites} == {"wolfe2010"}
    assert {s.region_source_id for s in sites} == {"wolfe2016"}


# ---------------------------------------------------------------------------------------------
# Score rule: WPI edges 3/4/6/7 and SSS edges 4/5/8/9, by hand
# ---------------------------------------------------------------------------------------------
# (wpi, sss, branch 2016, branch 2010); 1 = WPI>=7 & SSS>=5, 2 = middle band & SSS>=9, 0 = none
HAND_SCORED = [
    (7, 5, 1, 1), (7, 4, 0, 0), (19, 5, 1, 1), (19, 4, 0, 0), (7, 12, 1, 1),
    (6, 9, 2, 2), (6, 8, 0, 0), (6, 12, 2, 2),
    (4, 9, 2, 2), (4, 8, 0, 0),
    (3, 9, 0, 2), (3, 8, 0, 0), (3, 12, 0, 2),
    (2, 12, 0, 0), (0, 12, 0, 0), (0, 0, 0, 0),
    (6, 5, 0, 0), (7, 0, 0, 0),
]


@pytest.mark.parametrize("wpi,sss,b2016,b2010", HAND_SCORED)
def test_score_rule_edges(wpi, sss, b2016, b2010):
    assert c.wpi_sss_branch(wpi, sss, 2016) == b2016
    assert c.wpi_sss_branch(wpi, sss, 2010) == b2010
    assert bool(c.wpi_sss_rule(wpi, sss, 2016)) is (b2016 > 0)


def test_score_rule_vectorised_matches_scalar():
    wpi, sss, b2016, b2010 = (np.array(col) for col in zip(*HAND_SCORED, strict=True))
    np.testing.assert_array_equal(c.wpi_sss_branch(wpi, sss, 2016), b2016)
    np.testing.assert_array_equal(c.wpi_sss_branch(wpi, sss, 2010), b2010)


def test_score_rule_is_monotone_and_2016_is_stricter():
    wpi, sss = np.meshgrid(np.arange(20), np.arange(13), indexing="ij")
    for year in (2010, 2016):
        met = c.wpi_sss_rule(wpi, sss, year)
        # more painful sites or more symptoms never turn a met rule into a missed one
        assert not (met[:-1, :] & ~met[1:, :]).any()
        assert not (met[:, :-1] & ~met[:, 1:]).any()
    met_2016, met_2010 = c.wpi_sss_rule(wpi, sss, 2016), c.wpi_sss_rule(wpi, sss, 2010)
    assert not (met_2016 & ~met_2010).any()
    # the only difference: WPI 3 with SSS >= 9
    differ = met_2010 & ~met_2016
    assert set(zip(wpi[differ], sss[differ], strict=True)) == {(3, s) for s in range(9, 13)}


# ---------------------------------------------------------------------------------------------
# Generalized pain: 3 vs 4 vs 5 regions; jaw, chest, abdomen do not count
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5])
def test_region_count_and_rule(n):
    mask = c.painful_mask(ONE_PER_REGION[:n])
    assert c.region_count(mask) == n
    assert bool(c.generalized_pain(n)) is (n >= 4)


def test_jaw_chest_abdomen_make_no_region_count():
    mask = c.painful_mask(["jaw_left", "jaw_right", "chest", "abdomen"])
    assert c.widespread_pain_index(mask) == 4
    assert c.region_count(mask) == 0
    # one ordinary site per region restores each region
    mask = c.painful_mask(["jaw_left", "jaw_right", "chest", "abdomen", "lower_arm_left", "upper_back"])
    np.testing.assert_array_equal(c.painful_regions(mask), [True, False, False, False, True])


def test_regions_vectorised_against_site_loop():
    rng = np.random.default_rng(1)
    masks = rng.random((2000, 19)) < 0.3
    sites = c.load_sites()
    expected = np.zeros((2000, 5), dtype=bool)
    for i, site in enumerate(sites):
        if site.in_generalized_pain:
            expected[:, c.REGION_KEYS.index(site.region)] |= masks[:, i]
    np.testing.assert_array_equal(c.painful_regions(masks), expected)
    np.testing.assert_array_equal(c.widespread_pain_index(masks), masks.sum(axis=1))
    assert (c.region_count(masks) <= c.widespread_pain_index(masks)).all()


# ---------------------------------------------------------------------------------------------
# Duration: 2 vs 3 months
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("months,ok", [(0, False), (2, False), (2.9, False), (3, True), (60, True)])
def test_duration_edge(months, ok):
    result = c.assess(ONE_PER_REGION + ["upper_back", "lower_back"], with_sss(5, months))
    assert result.wpi == 7 and result.sss == 5 and result.n_regions == 5
    assert result.duration_ok is ok
    assert result.meets_2016 is ok and result.meets_2010 is ok


# ---------------------------------------------------------------------------------------------
# Whole patients, scored by hand
# ---------------------------------------------------------------------------------------------
def test_sss_is_sum_of_items():
    s = symptoms(fatigue=3, waking_unrefreshed=2, cognitive_symptoms=1, headaches=1,
                 lower_abdominal_pain=0, depression=1)
    assert (s.severity_0_9, s.symptom_count_0_3, s.sss) == (6, 2, 8)
    assert with_sss(12).sss == 12 and with_sss(0).sss == 0


@pytest.mark.parametrize("wpi_sites,sss,n_regions,m2016,m2010", [
    # WPI 7, SSS 5, 5 regions: both
    (ONE_PER_REGION + ["upper_back", "lower_back"], 5, 5, True, True),
    # WPI 7, SSS 4: neither
    (ONE_PER_REGION + ["upper_back", "lower_back"], 4, 5, False, False),
    # WPI 6 (4-6 band), SSS 9: both; SSS 8: neither
    (ONE_PER_REGION + ["upper_back"], 9, 5, True, True),
    (ONE_PER_REGION + ["upper_back"], 8, 5, False, False),
    # WPI 4 with 4 regions, SSS 9: both (2016 lower edge)
    (ONE_PER_REGION[:4], 9, 4, True, True),
    # WPI 3, SSS 9: 2010 only (and only 3 regions)
    (ONE_PER_REGION[:3], 9, 3, False, True),
    # WPI 8 in 3 regions (one side + axial), SSS 6: score rule met, generalized pain missed
    (["neck", "upper_back", "shoulder_girdle_right", "upper_arm_right", "lower_arm_right",
      "hip_right", "upper_leg_right", "lower_leg_right"], 6, 3, False, True),
    # WPI 7 in 4 regions: generalized pain met
    (["neck", "shoulder_girdle_right", "upper_arm_right", "hip_right", "upper_leg_right",
      "hip_left", "upper_leg_left"], 5, 4, True, True),
])
def test_hand_scored_patients(wpi_sites, sss, n_regions, m2016, m2010):
    result = c.assess(wpi_sites, with_sss(sss))
    assert result.wpi == len(wpi_sites)
    assert result.sss == sss
    assert result.n_regions == n_regions
    assert result.meets_2016 is m2016
    assert result.meets_2010 is m2010


# Presets scored by hand from data/criteria_presets.csv
PRESET_SCORES = {
    #                     WPI SSS regions 2016   2010
    "typical":            (9, 7, 5, True, True),
    "fewer_sites_severe": (5, 9, 5, True, True),
    "one_sided":          (7, 6, 3, False, True),
    "jaw_chest_abdomen":  (8, 8, 3, False, True),
    "three_sites_severe": (3, 10, 3, False, True),
    "recent_onset":       (9, 7, 5, False, False),
    "widespread_mild":    (9, 3, 5, False, False),
    "rosa":               (8, 6, 4, True, True),
}


def test_presets_match_hand_scores():
    presets = c.load_presets()
    assert set(presets) == set(PRESET_SCORES)
    for name, (wpi, sss, regions, m2016, m2010) in PRESET_SCORES.items():
        preset = presets[name]
        assert preset.evidence == "illustrative"
        result = c.assess(preset.painful_sites, preset.symptoms)
        assert (result.wpi, result.sss, result.n_regions, result.meets_2016, result.meets_2010) == \
            (wpi, sss, regions, m2016, m2010), name


def test_default_symptoms_are_the_typical_preset():
    assert c.default_symptoms() == c.load_presets()["typical"].symptoms


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------
def test_describe_names_the_rule_met_or_missed():
    presets = c.load_presets()
    text = c.describe(c.assess(presets["typical"].painful_sites, presets["typical"].symptoms))
    assert text.startswith("WPI 9 of 19, SSS 7 of 12, pain in 5 of 5 regions, symptoms for 24 months.")
    assert "2016 criteria MET" in text and "2010 criteria (for comparison) MET" in text
    assert "WPI 9 \u2265 7 with SSS 7 \u2265 5" in text

    one_sided = presets["one_sided"]
    text = c.describe(c.assess(one_sided.painful_sites, one_sided.symptoms))
    assert "2016 criteria NOT met" in text
    assert "generalized pain missed (only 3 of 5 regions, 4 needed; no counted pain in: left upper, left lower)" in text
    assert "2010 criteria (for comparison) MET" in text

    text = c.describe(c.assess(ONE_PER_REGION[:3], with_sss(9)))
    assert "WPI 3 is below 4" in text and "WPI 3 in 3-6 with SSS 9 \u2265 9" in text

    text = c.describe(c.assess(ONE_PER_REGION + ["upper_back"], with_sss(8, months=2)))
    assert "with WPI 6 (in 4-6) the SSS must be 9 or more, and it is 8" in text
    assert "duration missed (2 months, 3 needed)" in text

    text = c.describe(c.assess(ONE_PER_REGION + ["upper_back", "lower_back"], with_sss(4, months=1)))
    assert "SSS 4 is below the 5 needed with WPI 7" in text and "symptoms for 1 month." in text


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------
def test_unknown_duplicate_or_string_site_is_rejected():
    with pytest.raises(ValueError, match=r"painful_sites contains 'knee_left', not a WPI site; known sites: jaw_left"):
        c.assess(["neck", "knee_left"])
    with pytest.raises(ValueError, match=r"painful_sites lists 'neck' twice"):
        c.painful_mask(["neck", "neck"])
    with pytest.raises(ValueError, match=r"not the string 'neck'"):
        c.painful_mask("neck")


@pytest.mark.parametrize("item,value,message", [
    ("fatigue", 4, r"fatigue = 4 is outside the allowed range 0 to 3 score"),
    ("fatigue", -1, r"fatigue = -1 is outside the allowed range 0 to 3 score"),
    ("fatigue", 1.5, r"fatigue = 1.5 must be a whole number from 0 to 3"),
    ("headaches", 2, r"headaches = 2 is outside the allowed range 0 to 1 score"),
    ("depression", "yes", r"depression = 'yes' is not a number; allowed range 0 to 1"),
    ("duration_months", -1, r"duration_months = -1 is outside the allowed range 0 to 60 months"),
    ("duration_months", 61, r"duration_months = 61 is outside the allowed range 0 to 60 months"),
])
def test_symptom_ranges_are_enforced(item, value, message):
    with pytest.raises(ValueError, match=message):
        c.make_symptoms(**{item: value})
    bad = c.Symptoms(**{**c.default_symptoms().__dict__, item: value})
    with pytest.raises(ValueError, match=message):
        c.assess(["neck"], bad)


def test_unknown_item_year_and_mask_shape_are_rejected():
    with pytest.raises(ValueError, match=r"unknown symptom item\(s\): sleep"):
        c.make_symptoms(sleep=2)
    with pytest.raises(ValueError, match=r"year = 2012 is not a criteria set; use 2010 or 2016"):
        c.wpi_sss_branch(7, 5, 2012)
    with pytest.raises(ValueError, match=r"wpi contains 20, outside the allowed range 0 to 19"):
        c.wpi_sss_branch(20, 5)
    with pytest.raises(ValueError, match=r"sss contains -1, outside the allowed range 0 to 12"):
        c.wpi_sss_branch(7, -1)
    with pytest.raises(ValueError, match=r"must have 19 sites in its last axis; got shape \(18,\)"):
        c.widespread_pain_index(np.zeros(18, dtype=bool))
    with pytest.raises(ValueError, match=r"only True/False"):
        c.region_count(np.full(19, 2))


def test_booleans_count_as_zero_or_one():
    s = c.make_symptoms(headaches=True, depression=False)
    assert s.headaches == 1 and s.depression == 0


# ---------------------------------------------------------------------------------------------
# Corrupted copies of the data files
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _replace(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.mark.parametrize("old,new,message", [
    ("neck,Neck,axial,axial,yes", "neck,Neck,axial,axial,maybe",
     r"acr_regions.csv, record 'neck' \(row 8\), field 'in_generalized_pain': 'maybe' must be yes or no"),
    ("neck,Neck,axial,axial,yes", "neck,Neck,axial,torso,yes",
     r"acr_regions.csv, record 'neck' \(row 8\), field 'region': unknown region 'torso'; use one of"),
    ("hip_left,\"Hip (buttock, trochanter), left\",left,left_lower",
     "hip_left,\"Hip (buttock, trochanter), left\",left,right_lower",
     r"acr_regions.csv, record 'hip_left' \(row 5\), field 'region': region 'right_lower' is not on the left side"),
    ("neck,Neck,axial,axial,yes", "neck,Neck,left,axial,yes",
     r"acr_regions.csv, record 'neck' \(row 8\), field 'side': side 'left' does not match region 'axial'"),
    ("neck,Neck,axial,axial,yes,wolfe2010", "neck,Neck,axial,axial,yes,wolfe2099",
     r"acr_regions.csv, record 'neck' \(row 8\), field 'source_id': unknown source id 'wolfe2099'"),
    ("upper_back,Upper back", "neck,Upper back",
     r"acr_regions.csv, record 'neck' \(row 9\), field 'name': duplicate name 'neck'"),
    ("lower_back,Lower back,axial,axial,yes,wolfe2010,wolfe2016,guideline,\n", "",
     r"acr_regions.csv, record \(file\), field 'name': the WPI has 19 sites; found 18"),
])
def test_corrupted_regions_file(data_copy, old, new, message):
    _replace(data_copy / "acr_regions.csv", old, new)
    with pytest.raises(DataFileError, match=message):
        c.load_sites(data_copy)


def test_region_without_counted_site_is_rejected(data_copy):
    path = data_copy / "acr_regions.csv"
    for name in ("hip_left", "upper_leg_left", "lower_leg_left"):
        text = path.read_text(encoding="utf-8")
        start = text.index(f"\n{name},") + 1
        line = text[start:text.index("\n", start)]
        path.write_text(text.replace(line, line.replace(",left_lower,yes,", ",left_lower,no,")), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"no site counts for generalized pain in region\(s\) left_lower"):
        c.load_sites(data_copy)


@pytest.mark.parametrize("old,new,field,message", [
    ("neck;shoulder_girdle_right;upper_arm_right", "neck;knee_right;upper_arm_right", "painful_sites",
     r"'knee_right' is not a site in acr_regions.csv"),
    ("neck;shoulder_girdle_right;upper_arm_right", "neck;neck;upper_arm_right", "painful_sites",
     r"a site is listed twice"),
    ("upper_leg_right,2,2,1,1,0,1,24", "upper_leg_right,4,2,1,1,0,1,24", "fatigue",
     r"4 is out of range 0 to 3"),
    ("upper_leg_right,2,2,1,1,0,1,24", "upper_leg_right,1.5,2,1,1,0,1,24", "fatigue",
     r"1.5 is not a step of the slider \(0 to 3 in steps of 1\)"),
    ("upper_leg_right,2,2,1,1,0,1,24", "upper_leg_right,2,2,1,1,0,1,", "duration_months",
     r"missing or empty"),
])
def test_corrupted_presets_file(data_copy, old, new, field, message):
    _replace(data_copy / "criteria_presets.csv", old, new)
    with pytest.raises(DataFileError,
                       match=rf"criteria_presets.csv, record '\w+' \(row \d\), field '{field}': {message}"):
        c.load_presets(data_copy)


def test_corrupted_parameters_file(data_copy):
    _replace(data_copy / "criteria_parameters.csv", "fatigue,Fatigue,2,score,0,3",
             "fatigue,Fatigue,2,scores,0,3")
    with pytest.raises(DataFileError, match=r"criteria_parameters.csv, record 'fatigue' \(row 1\), "
                                            r"field 'unit': unknown unit 'scores'"):
        c.load_presets(data_copy)
