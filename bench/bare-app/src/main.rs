//! A bare Tauri app: one window with a hello page, which reports its first
//! paint exactly as Keyport's page does (`painted`, two animation frames
//! after it rendered), so `make bench` times both apps the same way.

#[tauri::command]
fn painted() {
    if std::env::var_os("KEYPORT_REPORT_PAINT").is_some() {
        println!("keyport: painted");
    }
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![painted])
        .run(tauri::generate_context!())
        .expect("the bare app could not start its window");
}
