//! Helpers shared by the kernel's integration tests.
#![allow(dead_code)]

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use kernel::{Host, Kernel, Outgoing, StoreOp};
use protocol::{
    DataSummary, DirtySettings, FlowProgress, FullRefresh, GeneratorSettings, Preset, Problem,
    ProjectFiles, Reply, Request, RowPage, RowSource, RunRecord, SortBy,
};

pub const CATALOG: &str = "default";
pub const SCHEMA: &str = "iot_anomaly_detection";
pub const SEED: u64 = 42;

/// A clock that advances one second per reading, so durations are positive and runs ordered.
pub fn host() -> Host {
    let now = Rc::new(Cell::new(1_700_000_000_000.0_f64));
    Host {
        now_ms: Box::new(move || {
            now.set(now.get() + 1000.0);
            now.get()
        }),
    }
}

/// The storage directory the glue would keep: ops applied in order.
#[derive(Default)]
pub struct Disk(pub BTreeMap<String, Vec<u8>>);

impl Disk {
    pub fn apply(&mut self, ops: &[StoreOp]) {
        for op in ops {
            match op {
                StoreOp::Put { path, bytes } => {
                    self.0.insert(path.clone(), bytes.clone());
                }
                StoreOp::Delete { path } => {
                    self.0.remove(path);
                }
            }
        }
    }
}

/// A kernel plus its storage.
pub struct Workbench {
    pub kernel: Kernel,
    pub disk: Disk,
    pub progress: Rc<std::cell::RefCell<Vec<FlowProgress>>>,
}

impl Workbench {
    pub fn new() -> Workbench {
        let (kernel, ops) = Kernel::restore(host(), BTreeMap::new());
        assert!(ops.is_empty());
        Workbench {
            kernel,
            disk: Disk::default(),
            progress: Rc::default(),
        }
    }

    /// A kernel restored from this one's storage.
    pub fn reopen(&self) -> Workbench {
        let (kernel, ops) = Kernel::restore(host(), self.disk.0.clone());
        let mut disk = Disk(self.disk.0.clone());
        disk.apply(&ops);
        Workbench {
            kernel,
            disk,
            progress: Rc::default(),
        }
    }

    pub fn send(&mut self, request: Request) -> Outgoing {
        self.send_bytes(request, None)
    }

    pub fn send_bytes(&mut self, request: Request, bytes: Option<Vec<u8>>) -> Outgoing {
        let sink = self.progress.clone();
        let out = self
            .kernel
            .handle(request, bytes, Box::new(move |p| sink.borrow_mut().push(p)));
        self.disk.apply(&out.store);
        out
    }

    pub fn generate(&mut self) -> DataSummary {
        let out = self.send(Request::Generate {
            settings: settings(),
            catalog: CATALOG.into(),
            schema: SCHEMA.into(),
        });
        match out.reply {
            Reply::Data(d) => d,
            other => panic!("generate: {other:?}"),
        }
    }

    pub fn update(&mut self, project: &ProjectFiles) -> (RunRecord, DataSummary) {
        let out = self.send(Request::Update {
            project: project.clone(),
            target: None,
            full_refresh: FullRefresh::None,
            started_at_ms: 1_700_000_000_000.0,
        });
        match out.reply {
            Reply::Updated { run, data } => (run, data),
            other => panic!("update: {other:?}"),
        }
    }

    pub fn rows(
        &mut self,
        source: RowSource,
        offset: usize,
        limit: usize,
        sort: Option<SortBy>,
    ) -> RowPage {
        match self.try_rows(source, offset, limit, sort) {
            Ok(page) => page,
            Err(reply) => panic!("rows: {reply:?}"),
        }
    }

    pub fn try_rows(
        &mut self,
        source: RowSource,
        offset: usize,
        limit: usize,
        sort: Option<SortBy>,
    ) -> Result<RowPage, Problem> {
        match self
            .send(Request::Rows {
                source,
                offset,
                limit,
                sort,
            })
            .reply
        {
            Reply::Rows(page) => Ok(page),
            Reply::Error(problem) => Err(problem),
            other => panic!("rows answered {other:?}"),
        }
    }
}

pub fn settings() -> GeneratorSettings {
    GeneratorSettings {
        seed: SEED,
        preset: Preset::Tiny,
        dirty: DirtySettings::default(),
    }
}

/// The landing the generator produces for `batch` with the tests' settings.
pub fn landing(batch: datagen::Batch) -> datagen::Landing {
    let volume = datagen::Volume::new(CATALOG, SCHEMA).unwrap();
    datagen::generate_and_land(&datagen::Preset::Tiny.config(), SEED, batch, &volume)
        .unwrap()
        .1
}

pub fn python_project() -> ProjectFiles {
    let project = pipeline::projects::iot_python();
    ProjectFiles {
        files: project
            .files()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
    }
}

/// The project with `file`'s text changed by `edit`.
pub fn edited(project: &ProjectFiles, file: &str, edit: impl Fn(&str) -> String) -> ProjectFiles {
    let mut out = project.clone();
    let entry = out
        .files
        .iter_mut()
        .find(|(p, _)| p == file)
        .expect("file in project");
    entry.1 = edit(&entry.1);
    out
}

pub fn rows_of(data: &DataSummary, short: &str) -> u64 {
    data.tables
        .iter()
        .find(|t| t.qualified.ends_with(&format!(".{short}")))
        .map(|t| t.rows)
        .unwrap_or_else(|| panic!("no table {short} in {:?}", data.tables))
}

/// `(qualified, rows, version)` of every table.
pub fn tables(data: &DataSummary) -> Vec<(String, u64, u64)> {
    data.tables
        .iter()
        .map(|t| (t.qualified.clone(), t.rows, t.version))
        .collect()
}
