//! Serving the tables: the project's dashboard and SQL alert, and module 3's time-series
//! pictures, drawn as SVG from what the engine computed.

mod alert_panel;
mod chart;
mod dashboard;
mod data_table;
mod export;
mod filter_widget;
mod scale;
mod svg;
mod time_chart;
mod time_series;
mod widget_card;

pub use alert_panel::AlertPanel;
pub use dashboard::Dashboard;
pub use time_series::TimeSeries;
