//! The data generator's settings (seed, size, dirty-data switches), its two actions and what
//! it generated. Settings are kept in the browser between visits.

use gloo::storage::{LocalStorage, Storage};
use leptos::prelude::*;
use protocol::{DataSummary, DirtySettings, GeneratorSettings, Preset};

use crate::workbench::use_workbench;

/// Where the settings are kept.
pub const STORAGE_KEY: &str = "iotwb.generator";
/// The malformed-row rate a switch turns on with: one row in a hundred, enough to see in
/// the quarantine without drowning the good rows.
const DEFAULT_MALFORMED_RATE: f64 = 0.01;

/// How many readings a preset makes, as the panel says it.
pub fn preset_readings(preset: Preset) -> &'static str {
    match preset {
        Preset::Tiny => "≈ 20 000 readings",
        Preset::Course => "≈ 400 000 readings",
        Preset::Large => "1 000 000+ readings",
    }
}

/// What was generated, as a sentence; `None` before the first generation.
pub fn summary(data: &DataSummary) -> Option<String> {
    let settings = data.generated?;
    let increments = match data.increments {
        0 => String::new(),
        1 => ", 1 increment landed".into(),
        n => format!(", {n} increments landed"),
    };
    Some(format!(
        "Seed {}, {} preset{increments}: {} file{} ({:.1} MB) in the volume{}.",
        settings.seed,
        settings.preset.as_str(),
        data.files,
        if data.files == 1 { "" } else { "s" },
        data.bytes as f64 / 1e6,
        data.landing
            .as_ref()
            .map(|l| format!(" under {l}"))
            .unwrap_or_default(),
    ))
}

/// A dirty-data switch: its label, its explanation, and how it reads and sets the settings.
struct Switch {
    id: &'static str,
    label: &'static str,
    explain: &'static str,
    get: fn(&DirtySettings) -> bool,
    set: fn(&mut DirtySettings, bool),
}

const SWITCHES: [Switch; 4] = [
    Switch {
        id: "schema-drift",
        label: "Schema drift",
        explain: "Sensor files gain an unexpected humidity column.",
        get: |d| d.schema_drift,
        set: |d, on| d.schema_drift = on,
    },
    Switch {
        id: "duplicate-files",
        label: "Duplicate files",
        explain: "The first part files are delivered twice under new names.",
        get: |d| d.duplicate_files,
        set: |d, on| d.duplicate_files = on,
    },
    Switch {
        id: "empty-files",
        label: "Empty files",
        explain: "A zero-byte part file lands in each folder.",
        get: |d| d.empty_files,
        set: |d, on| d.empty_files = on,
    },
    Switch {
        id: "header-only-file",
        label: "Header-only file",
        explain: "A part file holding only the header row lands in each folder.",
        get: |d| d.header_only_file,
        set: |d, on| d.header_only_file = on,
    },
];

/// The generator panel.
#[component]
pub fn GeneratorPanel() -> impl IntoView {
    let wb = use_workbench();
    let (settings, set_settings) =
        signal(LocalStorage::get::<GeneratorSettings>(STORAGE_KEY).unwrap_or_default());
    // Keep the settings for the next visit (storage full or blocked: they last for this page).
    Effect::new(move |_| {
        let _ = LocalStorage::set(STORAGE_KEY, settings.get());
    });
    let generated = move || wb.data.with(|d| d.generated.is_some());
    let busy = move || wb.is_busy();
    let malformed_on = move || settings.with(|s| s.dirty.malformed_rows > 0.0);

    let preset_option = move |preset: Preset| {
        view! {
            <label class="preset">
                <input type="radio" name="generator-preset"
                    data-testid=format!("preset-{}", preset.as_str())
                    prop:checked=move || settings.with(|s| s.preset == preset)
                    on:change=move |_| set_settings.update(|s| s.preset = preset)
                />
                <span class="preset-name">{preset.as_str()}</span>
                <span class="preset-size">{preset_readings(preset)}</span>
            </label>
        }
    };
    let switch = move |sw: &'static Switch| {
        view! {
            <li class="dirty-switch">
                <label>
                    <input type="checkbox" role="switch" data-testid=format!("dirty-{}", sw.id)
                        prop:checked=move || settings.with(|s| (sw.get)(&s.dirty))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            set_settings.update(|s| (sw.set)(&mut s.dirty, on));
                        }
                    />
                    <span class="switch-label">{sw.label}</span>
                </label>
                <span class="switch-explain">{sw.explain}</span>
            </li>
        }
    };

    view! {
        <section class="generator" data-testid="generator" aria-label="Data generator">
            <h2>"Generate data"</h2>
            <div class="seed">
            <label>
                "Seed "
                <input type="number" min="0" step="1" inputmode="numeric" data-testid="seed-input"
                    prop:value=move || settings.with(|s| s.seed.to_string())
                    on:input=move |ev| {
                        if let Ok(seed) = event_target_value(&ev).trim().parse::<u64>() {
                            set_settings.update(|s| s.seed = seed);
                        }
                    }
                />
            </label>
                <span class="field-hint">"The same seed lands the same files."</span>
            </div>
            <fieldset class="presets">
                <legend>"Size"</legend>
                {Preset::ALL.into_iter().map(preset_option).collect_view()}
            </fieldset>
            <fieldset class="dirty">
                <legend>"Dirty data"</legend>
                <ul class="dirty-switches">
                    <li class="dirty-switch">
                        <label>
                            <input type="checkbox" role="switch" data-testid="dirty-malformed-rows"
                                prop:checked=malformed_on
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    set_settings.update(|s| s.dirty.malformed_rows = if on { DEFAULT_MALFORMED_RATE } else { 0.0 });
                                }
                            />
                            <span class="switch-label">"Malformed rows"</span>
                        </label>
                        <Show when=malformed_on>
                            <label class="rate">
                                "Rate "
                                <input type="number" min="0" max="1" step="0.01" data-testid="malformed-rate"
                                    prop:value=move || settings.with(|s| s.dirty.malformed_rows.to_string())
                                    on:input=move |ev| {
                                        if let Ok(rate) = event_target_value(&ev).trim().parse::<f64>()
                                            && rate > 0.0
                                            && rate <= 1.0
                                        {
                                            set_settings.update(|s| s.dirty.malformed_rows = rate);
                                        }
                                    }
                                />
                            </label>
                        </Show>
                        <span class="switch-explain">"A share of rows is broken: wrong field count, unparsable number or timestamp."</span>
                    </li>
                    {SWITCHES.iter().map(switch).collect_view()}
                </ul>
            </fieldset>
            <div class="generator-actions">
                <button type="button" class="primary" data-testid="generate"
                    disabled=busy
                    title="Replace the generated files with a new initial load (uploads and tables stay)"
                    on:click=move |_| wb.generate(settings.get_untracked())>"Generate"</button>
                <button type="button" data-testid="land-more"
                    disabled=move || busy() || !generated()
                    title="Land the next month of readings, as a new delivery"
                    on:click=move |_| wb.land_more()>"Land more data"</button>
                <Show when=move || !generated()>
                    <span class="field-hint">"Land more data works after a first Generate."</span>
                </Show>
                {move || wb.busy.get().map(|b| view! { <span class="field-hint" role="status">{b}</span> })}
            </div>
            <p class="generator-summary" data-testid="generator-summary">
                {move || wb.data.with(summary).unwrap_or_else(|| "Nothing generated yet.".into())}
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_summary_before_and_after_generating() {
        let mut data = DataSummary::default();
        assert_eq!(summary(&data), None);
        data.generated = Some(GeneratorSettings {
            seed: 7,
            ..Default::default()
        });
        data.increments = 2;
        data.files = 12;
        data.bytes = 3_400_000;
        data.landing = Some("/Volumes/default/iot".into());
        assert_eq!(
            summary(&data).unwrap(),
            "Seed 7, course preset, 2 increments landed: 12 files (3.4 MB) in the volume under /Volumes/default/iot."
        );
    }
}
