//! Placeholder until the benchmark lands.
#[derive(clap::Args)]
pub struct BenchArgs {}
pub fn run(_: &BenchArgs, _: chrono_tz::Tz) -> anyhow::Result<()> {
    anyhow::bail!("bench: not built yet")
}
