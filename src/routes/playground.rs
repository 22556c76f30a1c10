use leptos::html::Canvas;
use leptos::prelude::*;

use crate::components::draw_line_chart;
use crate::dataplane::{self, RoundTripError};

/// What one round trip did, shown under the button.
#[derive(Debug, Clone)]
struct RoundTrip {
    rows: usize,
    columns: Vec<String>,
    parquet_bytes: usize,
    millis: f64,
}

/// Devices and minutes of the sample: 3 × 1 440 = one day of per-minute readings per device.
const DEVICES: i32 = 3;
const MINUTES: i64 = 1_440;

/// The playground: checks the data plane end to end in this browser.
#[component]
pub fn Playground() -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let (outcome, set_outcome) = signal(None::<Result<RoundTrip, String>>);
    let run = move |_| {
        let started = now_millis();
        let result = round_trip().and_then(|(summary, series)| {
            let canvas = canvas.get().ok_or("the chart is not on the page")?;
            draw_line_chart(
                &canvas,
                &series,
                "minutes since 2023-01-01 00:00 UTC",
                "temperature",
            )?;
            Ok(RoundTrip {
                millis: now_millis() - started,
                ..summary
            })
        });
        set_outcome.set(Some(result));
    };
    view! {
        <section class="playground">
            <h1>"Playground"</h1>
            <p>
                "This page proves the data plane works in your browser: it builds an Arrow record "
                "batch of sensor readings, writes it to a Parquet file in memory, reads the file "
                "back and charts what it read."
            </p>
            <button type="button" class="primary" data-testid="roundtrip-run" on:click=run>
                "Run Arrow → Parquet → Arrow"
            </button>
            <div aria-live="polite" data-testid="roundtrip-status" class="roundtrip-status">
                {move || outcome.get().map(|r| match r {
                    Ok(t) => view! {
                        <p class="ok">{format!(
                            "Read back {} rows ({}) from {} bytes of Parquet in {:.1} ms.",
                            t.rows, t.columns.join(", "), t.parquet_bytes, t.millis
                        )}</p>
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{format!("The round trip failed: {e}")}</p> }.into_any(),
                })}
            </div>
            <canvas
                node_ref=canvas
                class="chart"
                data-testid="roundtrip-canvas"
                width="800"
                height="360"
                aria-label="Line chart of temperature per device, drawn from the Parquet file"
                role="img"
            ></canvas>
        </section>
    }
}

fn round_trip() -> Result<(RoundTrip, Vec<dataplane::Series>), String> {
    let run = || -> Result<_, RoundTripError> {
        let batch = dataplane::sample_readings(DEVICES, MINUTES)?;
        let file = dataplane::to_parquet(&batch)?;
        let parquet_bytes = file.len();
        let back = dataplane::from_parquet(file)?;
        Ok((batch, back, parquet_bytes))
    };
    let (written, back, parquet_bytes) = run().map_err(|e| e.to_string())?;
    let rows = back.iter().map(|b| b.num_rows()).sum();
    if rows != written.num_rows() {
        return Err(format!("wrote {} rows but read {rows}", written.num_rows()));
    }
    let columns = back
        .first()
        .map(|b| {
            b.schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect()
        })
        .unwrap_or_default();
    let series = dataplane::series_by_device(&back);
    Ok((
        RoundTrip {
            rows,
            columns,
            parquet_bytes,
            millis: 0.0,
        },
        series,
    ))
}

fn now_millis() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or_default()
}
