//! Tests of [`super::iirfilter`]: refusals, scipy's numbers, stability.

use super::*;

fn spec(family: Family, band: Band, cutoffs: Vec<f64>) -> IirSpec {
    IirSpec {
        order: 4,
        cutoffs,
        samplerate: 44100.0,
        band,
        family,
        rp: matches!(family, Family::Cheby1 | Family::Ellip).then_some(1.0),
        rs: matches!(family, Family::Cheby2 | Family::Ellip).then_some(40.0),
    }
}

#[test]
fn a_ripple_the_family_has_not_is_refused() {
    let mut s = spec(Family::Butter, Band::Lowpass, vec![1000.0]);
    s.rp = Some(1.0);
    assert!(iirfilter(&s)
        .unwrap_err()
        .message()
        .contains("butter filter has no rp"));
    let mut s = spec(Family::Cheby1, Band::Lowpass, vec![1000.0]);
    s.rs = Some(40.0);
    assert!(iirfilter(&s)
        .unwrap_err()
        .message()
        .contains("cheby1 filter has no rs"));
    let mut s = spec(Family::Bessel, Band::Lowpass, vec![1000.0]);
    s.rs = Some(40.0);
    assert!(iirfilter(&s)
        .unwrap_err()
        .message()
        .contains("bessel filter has no rs"));
}

#[test]
fn bad_specs_are_refused_with_what_was_expected() {
    let mut s = spec(Family::Butter, Band::Lowpass, vec![30000.0]);
    assert!(iirfilter(&s).unwrap_err().message().contains("22050"));
    s.cutoffs = vec![100.0, 200.0];
    assert!(iirfilter(&s).unwrap_err().message().contains("1 cutoff"));
    s.band = Band::Bandpass;
    s.cutoffs = vec![200.0, 100.0];
    assert!(iirfilter(&s).unwrap_err().message().contains("rise"));
    s.cutoffs = vec![100.0, 200.0];
    s.order = 0;
    assert!(iirfilter(&s).is_err());
    s.order = 4;
    s.family = Family::Cheby1;
    s.rp = None;
    assert!(iirfilter(&s).unwrap_err().message().contains("rp"));
    assert!(Family::from_name("elliptic").is_err());
    s.family = Family::Ellip;
    s.rp = Some(1.0);
    s.rs = None;
    assert!(iirfilter(&s).unwrap_err().message().contains("rs"));
}

#[test]
fn cheby2_bandstop_matches_scipy() {
    // scipy.signal.iirfilter(4, [500 / 4000, 2000 / 4000], rs=40,
    // btype='bandstop', ftype='cheby2', output='sos'), 12 digits.
    let want = [
        0.088200136748,
        -0.0773257771446,
        0.088200136748,
        1.0,
        0.324991832588,
        0.0979145033369,
        1.0,
        -0.103374447396,
        1.0,
        1.0,
        0.755137242759,
        0.58483788211,
        1.0,
        -1.63198093402,
        1.0,
        1.0,
        -1.53647720854,
        0.603972765402,
        1.0,
        -1.83186105365,
        1.0,
        1.0,
        -1.81810793091,
        0.869847090764,
    ];
    let mut s = spec(Family::Cheby2, Band::Bandstop, vec![500.0, 2000.0]);
    s.samplerate = 8000.0;
    let got = iirfilter(&s).unwrap().concat();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-9, "{got:?}");
    }
}

#[test]
fn every_family_and_order_is_stable() {
    let families = [
        Family::Butter,
        Family::Cheby1,
        Family::Cheby2,
        Family::Ellip,
        Family::Bessel,
    ];
    for family in families {
        for band in [Band::Highpass, Band::Bandstop] {
            let cutoffs = if band == Band::Highpass {
                vec![1000.0]
            } else {
                vec![500.0, 2000.0]
            };
            let mut s = spec(family, band, cutoffs);
            for order in 1..=MAX_ORDER {
                s.order = order;
                for x in iirfilter(&s).unwrap() {
                    // The stability triangle of a second-order section's poles.
                    let stable = x[5].abs() < 1.0 && x[4].abs() < 1.0 + x[5];
                    assert!(
                        stable && x.iter().all(|c| c.is_finite()),
                        "{family:?} {band:?} {order}: {x:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn band_filters_have_twice_the_poles() {
    let s = iirfilter(&spec(Family::Cheby2, Band::Bandpass, vec![500.0, 2000.0])).unwrap();
    assert_eq!(s.len(), 4);
    assert!(s.iter().all(|x| x[3] == 1.0));
}
