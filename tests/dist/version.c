/* The C tarball's header and library agree with each other and with Cargo.toml's version
 * (tests/dist/run.sh builds this against the extracted tarball through pkg-config). */
#include <hcpartner.h>
#include <stdio.h>
#include <string.h>

#define STR2(x) #x
#define STR(x) STR2(x)

int main(int argc, char **argv) {
    const char *macros = STR(HCP_VERSION_MAJOR) "." STR(HCP_VERSION_MINOR) "." STR(HCP_VERSION_PATCH);
    const char *library = hcp_version();
    printf("header %s, library %s, expected %s\n", macros, library, argc > 1 ? argv[1] : "?");
    return argc > 1 && strcmp(macros, argv[1]) == 0 && strcmp(library, argv[1]) == 0 ? 0 : 1;
}
