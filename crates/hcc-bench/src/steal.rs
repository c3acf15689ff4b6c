//! CPU time taken by the hypervisor (`steal` in /proc/stat): on a shared virtual machine the same
//! build measured twice can differ by a third, and this says which runs were short of CPU.

/// The machine's CPU time so far, in clock ticks: all of it, and what was stolen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuTimes {
    total: u64,
    steal: u64,
}

impl CpuTimes {
    /// Now, from /proc/stat; `None` where there is no such file (not Linux).
    pub fn read() -> Option<CpuTimes> {
        CpuTimes::parse(&std::fs::read_to_string("/proc/stat").ok()?)
    }

    /// The first line of /proc/stat: `cpu user nice system idle iowait irq softirq steal …`.
    fn parse(stat: &str) -> Option<CpuTimes> {
        let line = stat.lines().next()?;
        let mut fields = line.split_whitespace();
        if fields.next()? != "cpu" {
            return None;
        }
        // Guest time (fields 9 and 10) is already counted in user and nice.
        let ticks: Vec<u64> = fields.take(8).map(str::parse).collect::<Result<_, _>>().ok()?;
        Some(CpuTimes { total: ticks.iter().sum(), steal: *ticks.get(7)? })
    }

    /// The share of the CPU time since `before` that was stolen.
    pub fn stolen_since(&self, before: &CpuTimes) -> Option<f64> {
        let total = self.total.checked_sub(before.total)?;
        let steal = self.steal.checked_sub(before.steal)?;
        (total > 0).then(|| steal as f64 / total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::CpuTimes;

    #[test]
    fn the_stolen_share_is_steal_over_all_ticks() {
        let before = CpuTimes::parse("cpu  100 0 50 800 10 0 5 35 0 0\ncpu0 1 2 3\n").unwrap();
        let after = CpuTimes::parse("cpu  160 0 90 820 10 0 5 115 7 0\n").unwrap();
        // 200 ticks passed, 80 of them stolen (guest ticks are not added twice).
        assert_eq!(after.stolen_since(&before), Some(0.4));
        assert_eq!(before.stolen_since(&before), None, "no time passed");
        assert_eq!(before.stolen_since(&after), None, "time does not run backwards");
    }

    #[test]
    fn anything_but_a_cpu_line_is_not_read() {
        assert_eq!(CpuTimes::parse("intr 1 2 3"), None);
        assert_eq!(CpuTimes::parse("cpu 1 2 x 4 5 6 7 8"), None);
        assert_eq!(CpuTimes::parse("cpu 1 2 3"), None, "no steal column");
        assert_eq!(CpuTimes::parse(""), None);
    }

    #[test]
    fn this_machine_can_be_read_where_it_is_linux() {
        if cfg!(target_os = "linux") {
            assert!(CpuTimes::read().is_some());
        }
    }
}
