//! Render tests of the run screen on ratatui's `TestBackend`.
