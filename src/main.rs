fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(iot_workbook::App);
    iot_workbook::mark_interactive();
}
