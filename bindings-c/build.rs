//! The shared library's soname is the installed name (`make install` renames
//! libhcpartner_c.so to libhcpartner.so), so programs linked with `-lhcpartner` find it by it.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libhcpartner.so");
}
