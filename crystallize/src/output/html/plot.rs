//! The report's plots, drawn with plotters' SVG backend into strings of inline SVG: each
//! condition's replicates of one metric (points over a box), and a forest plot of effects with
//! their confidence intervals.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The baseline's colour: grey, so treatments stand out against it.
const BASELINE_COLOR: RGBColor = RGBColor(110, 110, 110);
/// A treatment's colour.
const TREATMENT_COLOR: RGBColor = RGBColor(31, 119, 180);
/// The colour of an effect whose verdict is `supported`.
const SUPPORTED_COLOR: RGBColor = RGBColor(44, 160, 44);
/// Height of one row of a forest plot, in pixels.
const FOREST_ROW: u32 = 34;

/// One condition's values of a metric (missing replicates left out).
pub(crate) struct Strip<'a> {
    /// The condition name.
    pub name: &'a str,
    /// Whether it is the baseline.
    pub baseline: bool,
    /// Its values, in replicate order.
    pub values: Vec<f64>,
}

/// One row of a forest plot: a treatment's effect and interval.
pub(crate) struct ForestRow<'a> {
    /// The treatment name.
    pub name: &'a str,
    /// The effect (treatment − baseline).
    pub effect: f64,
    /// The interval's bounds, when there is one.
    pub interval: Option<(f64, f64)>,
    /// Whether its verdict is `supported`.
    pub supported: bool,
}

/// The first, second and third quartile of sorted `values` (linear interpolation), with the
/// extremes: `(min, q1, median, q3, max)`. `values` must not be empty.
fn five_numbers(sorted: &[f64]) -> (f64, f64, f64, f64, f64) {
    let at = |fraction: f64| {
        let position = fraction * (sorted.len() - 1) as f64;
        let low = position.floor() as usize;
        let high = position.ceil() as usize;
        sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
    };
    (
        sorted[0],
        at(0.25),
        at(0.5),
        at(0.75),
        sorted[sorted.len() - 1],
    )
}

/// A tick label of an axis spanning `span`: as many decimals as the ticks' spacing needs
/// (about a tenth of the span), and `0` rather than `-0`.
fn tick(value: f64, span: f64) -> String {
    let step = span / 10.0;
    let decimals = if step > 0.0 && step.is_finite() {
        (-step.log10().floor()).clamp(0.0, 12.0) as usize
    } else {
        2
    };
    let text = format!("{value:.decimals$}");
    if text.parse::<f64>() == Ok(0.0) {
        "0".to_string()
    } else {
        text
    }
}

/// `low..high` widened by a margin (and to a non-empty range when `low == high`).
fn padded(low: f64, high: f64) -> (f64, f64) {
    let span = high - low;
    let margin = if span > 0.0 {
        span * 0.08
    } else {
        low.abs().max(1.0) * 0.1
    };
    (low - margin, high + margin)
}

/// Draws with `draw` on a fresh SVG of `width` × `height` and returns the SVG text, or the
/// drawing error's message.
fn svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<String, String> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|error| error.to_string())?;
        draw(&root)?;
        root.present().map_err(|error| error.to_string())?;
    }
    Ok(text)
}

/// The replicates of `metric`, per condition: each value a point (spread sideways by
/// replicate, so equal values stay visible), over a box from the first to the third quartile
/// with the median and whiskers to the extremes; the baseline in grey with a dashed line at its
/// median across the plot.
pub(crate) fn replicates(metric: &str, strips: &[Strip<'_>]) -> Result<String, String> {
    let all: Vec<f64> = strips
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .collect();
    let (low, high) = match (
        all.iter().copied().reduce(f64::min),
        all.iter().copied().reduce(f64::max),
    ) {
        (Some(low), Some(high)) => padded(low, high),
        _ => (0.0, 1.0),
    };
    let count = strips.len().max(1);
    let longest = strips.iter().map(|s| s.name.len()).max().unwrap_or(0) as u32;
    let width = (160 + 110 * count as u32).clamp(560, 1600);
    let rotate = longest * 7 > 100;
    let label_height = if rotate {
        (longest * 13 / 2).min(220) + 24
    } else {
        40
    };
    let height = 360 + label_height;
    let names: Vec<&str> = strips.iter().map(|s| s.name).collect();
    svg(width, height, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(14)
            .caption(metric, ("sans-serif", 18))
            .x_label_area_size(label_height)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5..count as f64 - 0.5, low..high)
            .map_err(|error| error.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(228, 228, 228))
            .y_label_formatter(&|value| tick(*value, high - low))
            .y_label_style(("sans-serif", 12))
            .y_desc(metric)
            .axis_desc_style(("sans-serif", 13))
            .draw()
            .map_err(|error| error.to_string())?;
        // The condition names under their columns, turned when long.
        for (index, name) in names.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(index as f64, low));
            let style = if rotate {
                ("sans-serif", 13)
                    .into_font()
                    .transform(FontTransform::Rotate270)
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Right, VPos::Center))
            } else {
                ("sans-serif", 13)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Center, VPos::Top))
            };
            root.draw(&Text::new(name.to_string(), (x, y + 8), style))
                .map_err(|error| error.to_string())?;
        }
        let baseline_median = strips.iter().find(|s| s.baseline).and_then(|s| {
            let mut sorted = s.values.clone();
            sorted.sort_by(f64::total_cmp);
            (!sorted.is_empty()).then(|| five_numbers(&sorted).2)
        });
        if let Some(median) = baseline_median {
            chart
                .draw_series(dashes(-0.5, count as f64 - 0.5, median, BASELINE_COLOR))
                .map_err(|error| error.to_string())?;
        }
        for (index, strip) in strips.iter().enumerate() {
            let x = index as f64;
            let color = if strip.baseline {
                BASELINE_COLOR
            } else {
                TREATMENT_COLOR
            };
            let mut sorted = strip.values.clone();
            sorted.sort_by(f64::total_cmp);
            if !sorted.is_empty() {
                let (min, q1, median, q3, max) = five_numbers(&sorted);
                let line = color.stroke_width(2);
                let shapes: Vec<PathElement<(f64, f64)>> = vec![
                    PathElement::new(vec![(x, min), (x, q1)], line),
                    PathElement::new(vec![(x, q3), (x, max)], line),
                    PathElement::new(vec![(x - 0.12, min), (x + 0.12, min)], line),
                    PathElement::new(vec![(x - 0.12, max), (x + 0.12, max)], line),
                    PathElement::new(
                        vec![(x - 0.3, median), (x + 0.3, median)],
                        color.stroke_width(3),
                    ),
                ];
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.3, q1), (x + 0.3, q3)],
                        color.mix(0.12).filled(),
                    )))
                    .map_err(|error| error.to_string())?;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.3, q1), (x + 0.3, q3)],
                        line,
                    )))
                    .map_err(|error| error.to_string())?;
                chart
                    .draw_series(shapes)
                    .map_err(|error| error.to_string())?;
            }
            let n = strip.values.len();
            chart
                .draw_series(strip.values.iter().enumerate().map(|(replicate, value)| {
                    let offset = if n < 2 {
                        0.0
                    } else {
                        -0.22 + 0.44 * replicate as f64 / (n - 1) as f64
                    };
                    Circle::new((x + offset, *value), 4, color.mix(0.75).filled())
                }))
                .map_err(|error| error.to_string())?;
        }
        Ok(())
    })
}

/// A dashed horizontal line at `y` from `x0` to `x1`.
fn dashes(x0: f64, x1: f64, y: f64, color: RGBColor) -> Vec<PathElement<(f64, f64)>> {
    let pieces = 60;
    let step = (x1 - x0) / pieces as f64;
    (0..pieces)
        .step_by(2)
        .map(|i| {
            let start = x0 + step * i as f64;
            PathElement::new(vec![(start, y), (start + step, y)], color.stroke_width(1))
        })
        .collect()
}

/// A forest plot titled `title`: one row per treatment, its effect a dot (green when the
/// verdict is `supported`) on a line spanning its interval, and a dashed vertical line at zero
/// (no effect).
pub(crate) fn forest(title: &str, rows: &[ForestRow<'_>]) -> Result<String, String> {
    let bounds = rows.iter().flat_map(|row| {
        let (low, high) = row.interval.unwrap_or((row.effect, row.effect));
        [row.effect, low, high]
    });
    let low = bounds.clone().fold(0.0_f64, f64::min);
    let high = bounds.fold(0.0_f64, f64::max);
    let (low, high) = padded(low, high);
    let count = rows.len().max(1);
    let longest = rows.iter().map(|row| row.name.len()).max().unwrap_or(0) as u32;
    let left = (longest * 8 + 20).clamp(80, 320);
    let height = 110 + FOREST_ROW * count as u32;
    let names: Vec<&str> = rows.iter().map(|row| row.name).collect();
    svg(760, height, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(14)
            .caption(title, ("sans-serif", 16))
            .x_label_area_size(44)
            .y_label_area_size(left)
            .build_cartesian_2d(low..high, -0.5..count as f64 - 0.5)
            .map_err(|error| error.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(228, 228, 228))
            .x_label_formatter(&|value| tick(*value, high - low))
            .x_label_style(("sans-serif", 12))
            .x_desc("effect: treatment − baseline")
            .axis_desc_style(("sans-serif", 13))
            .draw()
            .map_err(|error| error.to_string())?;
        // The treatment names left of their rows, the first on top.
        for (index, name) in names.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(low, (count - 1 - index) as f64));
            let style = ("sans-serif", 13)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(name.to_string(), (x - 10, y), style))
                .map_err(|error| error.to_string())?;
        }
        let zero: Vec<PathElement<(f64, f64)>> = (0..30)
            .step_by(2)
            .map(|i| {
                let step = count as f64 / 30.0;
                let start = -0.5 + step * i as f64;
                PathElement::new(
                    vec![(0.0, start), (0.0, start + step)],
                    BLACK.stroke_width(1),
                )
            })
            .collect();
        chart.draw_series(zero).map_err(|error| error.to_string())?;
        for (index, row) in rows.iter().enumerate() {
            let y = (count - 1 - index) as f64;
            let color = if row.supported {
                SUPPORTED_COLOR
            } else {
                TREATMENT_COLOR
            };
            if let Some((low, high)) = row.interval {
                let line = color.stroke_width(2);
                chart
                    .draw_series(vec![
                        PathElement::new(vec![(low, y), (high, y)], line),
                        PathElement::new(vec![(low, y - 0.15), (low, y + 0.15)], line),
                        PathElement::new(vec![(high, y - 0.15), (high, y + 0.15)], line),
                    ])
                    .map_err(|error| error.to_string())?;
            }
            chart
                .draw_series(std::iter::once(Circle::new(
                    (row.effect, y),
                    6,
                    color.filled(),
                )))
                .map_err(|error| error.to_string())?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_have_the_decimals_their_spacing_needs() {
        assert_eq!(tick(-0.0000001, 1.8), "0");
        assert_eq!(tick(-1.6, 1.8), "-1.6");
        assert_eq!(tick(0.30000000000000004, 1.8), "0.3");
        assert_eq!(tick(1500.0, 2000.0), "1500");
        assert_eq!(tick(0.0015, 0.004), "0.0015");
    }

    #[test]
    fn quartiles_interpolate() {
        assert_eq!(
            five_numbers(&[1.0, 2.0, 3.0, 4.0, 5.0]),
            (1.0, 2.0, 3.0, 4.0, 5.0)
        );
        assert_eq!(five_numbers(&[1.0, 2.0]), (1.0, 1.25, 1.5, 1.75, 2.0));
        assert_eq!(five_numbers(&[7.0]), (7.0, 7.0, 7.0, 7.0, 7.0));
    }

    #[test]
    fn plots_are_svg_with_escaped_text_and_one_circle_per_value() {
        let strips = [
            Strip {
                name: "baseline",
                baseline: true,
                values: vec![1.0, 2.0, 3.0],
            },
            Strip {
                name: "lr=0.1",
                baseline: false,
                values: vec![2.0, 2.0],
            },
            Strip {
                name: "empty",
                baseline: false,
                values: vec![],
            },
        ];
        let svg = replicates("a<b & c", &strips).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("a&lt;b &amp; c"), "{svg}");
        assert!(!svg.contains("a<b"));
        assert_eq!(svg.matches("<circle").count(), 5, "{svg}");
        assert!(svg.contains("\nlr=0.1\n</text>"), "{svg}");
        let forest = forest(
            "h",
            &[
                ForestRow {
                    name: "double",
                    effect: 0.5,
                    interval: Some((0.4, 0.6)),
                    supported: true,
                },
                ForestRow {
                    name: "half",
                    effect: -0.2,
                    interval: None,
                    supported: false,
                },
            ],
        )
        .unwrap();
        assert!(forest.starts_with("<svg"));
        assert_eq!(forest.matches("<circle").count(), 2, "{forest}");
        assert!(
            forest.contains("\ndouble\n</text>") && forest.contains("\nhalf\n</text>"),
            "{forest}"
        );
    }

    #[test]
    fn one_value_and_no_values_still_draw() {
        let one = [Strip {
            name: "baseline",
            baseline: true,
            values: vec![5.0],
        }];
        assert!(replicates("m", &one).unwrap().contains("<circle"));
        let none = [Strip {
            name: "baseline",
            baseline: true,
            values: vec![],
        }];
        assert!(replicates("m", &none).unwrap().starts_with("<svg"));
        assert!(forest("h", &[]).unwrap().starts_with("<svg"));
    }
}
