//! The bare app's one command, declared like Keyport's.
fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&["painted"])),
    )
    .expect("tauri-build failed");
}
