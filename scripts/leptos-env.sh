# The environment cargo-leptos gives a debug build (see `[[workspace.metadata.leptos]]`).
# Plain `cargo test` runs with the same, so that it reuses cargo-leptos's artifacts
# instead of rebuilding everything, and the server it builds looks for the same
# browser bundle (`LEPTOS_OUTPUT_NAME` is read at compile time).
export LEPTOS_OUTPUT_NAME=charter
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR=127.0.0.1:3000
export LEPTOS_RELOAD_PORT=3001
export LEPTOS_LIB_DIR=frontend
export LEPTOS_BIN_DIR=server
export LEPTOS_JS_MINIFY=false
export LEPTOS_HASH_FILES=false
export RUSTFLAGS="--cfg erase_components"
