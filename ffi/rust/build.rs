//! Links libbackoff.so. BACKOFF_LIB_DIR names the directory that holds it; without it, the linker's
//! default paths are searched (an installed libbackoff).
fn main() {
    println!("cargo:rerun-if-env-changed=BACKOFF_LIB_DIR");
    if let Ok(dir) = std::env::var("BACKOFF_LIB_DIR") {
        println!("cargo:rustc-link-search=native={dir}");
    }
    println!("cargo:rustc-link-lib=dylib=backoff");
}
