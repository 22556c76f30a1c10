//! `iotwb generate`: land the synthetic dataset as CSV files under `<out>/Volumes/...`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use datagen::{
    Batch, DatagenError, Dataset, DirtyConfig, LandedFile, Landing, Preset, Volume, generate, land,
};

/// Arguments of `iotwb generate`.
#[derive(clap::Args)]
pub struct Args {
    /// Seed of the random generator: the same seed gives byte-identical files.
    #[arg(long)]
    pub seed: u64,
    /// Folder under which `Volumes/<catalog>/<schema>/...` is written.
    #[arg(long)]
    pub out: PathBuf,
    /// Size preset: tiny, course or large.
    #[arg(long, default_value = "course")]
    pub preset: String,
    /// Which batch to land: initial (2023) or increment (January 2024).
    #[arg(long, default_value = "initial")]
    pub batch: String,
    /// Comma-separated dirty-data knobs for the data-quality module.
    #[arg(long, value_delimiter = ',')]
    pub dirty: Vec<String>,
    /// Unity Catalog catalog of the landing volumes.
    #[arg(long, default_value = "default")]
    pub catalog: String,
    /// Schema of the landing volumes.
    #[arg(long, default_value = "iot_anomaly_detection")]
    pub schema: String,
    /// Also print the clean readings' statistics (the layout of the spec's reference table).
    #[arg(long)]
    pub stats: bool,
}

/// Why `iotwb generate` stopped. Nothing is written unless every check passed.
#[derive(Debug, thiserror::Error)]
enum GenerateError {
    /// A bad preset, batch, knob or volume name (the user's input).
    #[error("{0}")]
    Input(#[from] DatagenError),
    /// A file of the same name with other content is already there.
    #[error(
        "{path} already exists with different content; landing folders are append-only \
         (pick another --out, or another --seed / --batch)"
    )]
    Conflict { path: PathBuf },
    /// Reading or writing the output folder failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What happened to the files on disk.
#[derive(Debug, Default)]
struct WriteReport {
    written: usize,
    unchanged: usize,
}

pub fn run(args: Args) -> ExitCode {
    match execute(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err @ GenerateError::Input(_)) => {
            eprintln!("iotwb generate: {err}");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("iotwb generate: {err}");
            ExitCode::FAILURE
        }
    }
}

fn execute(args: &Args) -> Result<(), GenerateError> {
    let preset: Preset = args.preset.parse()?;
    let batch: Batch = args.batch.parse()?;
    let volume = Volume::new(&args.catalog, &args.schema)?;
    let mut config = preset.config();
    config.dirty = DirtyConfig::parse_knobs(&args.dirty)?;

    let started = Instant::now();
    let data = generate(&config, args.seed, batch)?;
    let generated = started.elapsed();
    let landing = land(&data, &config, &volume)?;
    let landed = started.elapsed() - generated;
    let report = write_files(&args.out, &landing.files)?;
    let written = started.elapsed() - generated - landed;

    let root = args.out.join(volume.root().trim_start_matches('/'));
    println!(
        "iotwb generate: seed {}, preset {preset}, batch {batch} -> {}",
        args.seed,
        root.display()
    );
    print_summary(&data, &landing, &report);
    println!(
        "  time              generate {}, land {}, write {}",
        millis(generated),
        millis(landed),
        millis(written)
    );
    if args.stats {
        println!();
        println!("{}", data.stats());
    }
    Ok(())
}

/// Writes every file under `out`, refusing to overwrite a file with different content. All
/// existing files are checked before anything is written, so a conflict leaves `out` as it was.
fn write_files(out: &Path, files: &[LandedFile]) -> Result<WriteReport, GenerateError> {
    let mut report = WriteReport::default();
    let mut pending = Vec::with_capacity(files.len());
    for file in files {
        let path = out.join(file.path.trim_start_matches('/'));
        match fs::read(&path) {
            Ok(existing) if existing == file.bytes => report.unchanged += 1,
            Ok(_) => return Err(GenerateError::Conflict { path }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => pending.push((path, file)),
            Err(source) => return Err(GenerateError::Io { path, source }),
        }
    }
    for (path, file) in pending {
        let io = |source| GenerateError::Io {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io)?;
        }
        // Write under a hidden name, then rename: readers skip names starting with `.`, so a
        // pipeline polling the folder never sees a half-written part file.
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = path.with_file_name(format!(".{name}.tmp"));
        fs::write(&temporary, &file.bytes).map_err(io)?;
        fs::rename(&temporary, &path).map_err(io)?;
        report.written += 1;
    }
    Ok(report)
}

fn print_summary(data: &Dataset, landing: &Landing, report: &WriteReport) {
    let s = &landing.summary;
    let share = |part: usize, whole: usize| 100.0 * part as f64 / whole.max(1) as f64;
    let range = s
        .time_range
        .map(|(first, last)| format!(", {first} .. {last}"))
        .unwrap_or_default();
    println!(
        "  readings          {} rows, {} devices, {} trips{range}",
        s.sensor_rows, s.devices, s.trips
    );
    let [_, ones, twos] = s.defect_rows;
    println!(
        "  hidden defects    {ones} rows defect=1 ({:.1} %), {twos} rows defect=2 (never inspected)",
        share(ones, s.sensor_rows)
    );
    println!(
        "  inspections       {} ({} defects, {} without timestamp)",
        s.inspections, s.inspection_defects, s.null_inspection_timestamps
    );
    println!(
        "  corruptions       {} NULL temperatures ({:.1} %), {} negated pressures ({:.1} %)",
        s.null_temperatures,
        share(s.null_temperatures, s.sensor_rows),
        s.negated_pressures,
        share(s.negated_pressures, s.sensor_rows)
    );
    if s.malformed_rows > 0 {
        println!("  dirty data        {} malformed rows", s.malformed_rows);
    }
    if data.spill_over_rows > 0 {
        println!(
            "  spill-over        {} readings past the end date (temperature/pressure 0)",
            data.spill_over_rows
        );
    }
    println!(
        "  files             {} data + {} marker files, {:.1} MB; {} written, {} already there",
        s.data_files,
        s.marker_files,
        s.bytes as f64 / 1e6,
        report.written,
        report.unchanged
    );
}

fn millis(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}
