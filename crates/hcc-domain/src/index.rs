//! The service index of Decision 766/QĐ-TTg (Bộ chỉ số phục vụ người dân, doanh nghiệp): five
//! groups, 100 points, per agency and period, computed from counts (DOMAIN.md §Index).
//!
//! Pure: the caller counts (from the statistics counters, the catalog, the ratings) and passes
//! [`IndexCounts`]; this module turns each indicator's counts into a rate and a score — full
//! points at or above the indicator's threshold, proportional below it (rate × points ÷
//! threshold) — and adds the scores per group. An indicator the installation cannot count yet
//! has no counts (`None`): it scores nothing and is shown as "chưa có dữ liệu", and its group
//! says how many of its points could be judged. The points of each indicator inside a group are
//! not all published: they are [`IndexWeights`], configurable, defaulting to an even split.

/// A group of the index, with its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// Công khai, minh bạch — 18 points.
    Disclosure,
    /// Tiến độ, kết quả giải quyết — 20 points.
    Progress,
    /// Dịch vụ công trực tuyến — 22 points.
    Online,
    /// Số hóa hồ sơ — 22 points.
    Digitization,
    /// Mức độ hài lòng — 18 points.
    Satisfaction,
}

impl Group {
    pub const ALL: [Group; 5] =
        [Group::Disclosure, Group::Progress, Group::Online, Group::Digitization, Group::Satisfaction];

    /// The group's points in the decision.
    pub fn points(self) -> f64 {
        match self {
            Group::Disclosure => 18.0,
            Group::Progress => 20.0,
            Group::Online => 22.0,
            Group::Digitization => 22.0,
            Group::Satisfaction => 18.0,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Group::Disclosure => "Công khai, minh bạch",
            Group::Progress => "Tiến độ, kết quả giải quyết",
            Group::Online => "Cung cấp dịch vụ trực tuyến",
            Group::Digitization => "Số hóa hồ sơ",
            Group::Satisfaction => "Mức độ hài lòng",
        }
    }
}

/// An indicator of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    /// Procedures published on time and complete.
    PublishedProcedures,
    /// Dossiers synchronised to the national portal.
    SyncedDossiers,
    /// Dossiers settled early or on time.
    OnTime,
    /// Procedures offered online.
    OnlineProcedures,
    /// Dossiers submitted online.
    OnlineDossiers,
    /// Fees paid online.
    OnlinePayment,
    /// Dossiers digitized (every paper scanned when handed over for handling).
    DigitizedDossiers,
    /// Dossiers reusing digitized papers from the applicant's data store.
    ReusedData,
    /// Results issued electronically.
    ElectronicResults,
    /// Feedback and complaints handled on time.
    FeedbackOnTime,
    /// Satisfaction with the handling of feedback.
    FeedbackSatisfaction,
    /// Satisfaction with dossier handling.
    HandlingSatisfaction,
}

impl Indicator {
    pub const ALL: [Indicator; 12] = [
        Indicator::PublishedProcedures,
        Indicator::SyncedDossiers,
        Indicator::OnTime,
        Indicator::OnlineProcedures,
        Indicator::OnlineDossiers,
        Indicator::OnlinePayment,
        Indicator::DigitizedDossiers,
        Indicator::ReusedData,
        Indicator::ElectronicResults,
        Indicator::FeedbackOnTime,
        Indicator::FeedbackSatisfaction,
        Indicator::HandlingSatisfaction,
    ];

    pub fn group(self) -> Group {
        match self {
            Indicator::PublishedProcedures | Indicator::SyncedDossiers => Group::Disclosure,
            Indicator::OnTime => Group::Progress,
            Indicator::OnlineProcedures | Indicator::OnlineDossiers | Indicator::OnlinePayment => Group::Online,
            Indicator::DigitizedDossiers | Indicator::ReusedData | Indicator::ElectronicResults => Group::Digitization,
            Indicator::FeedbackOnTime | Indicator::FeedbackSatisfaction | Indicator::HandlingSatisfaction => {
                Group::Satisfaction
            }
        }
    }

    /// The rate (percent) at or above which the indicator scores its full points.
    pub fn threshold(self) -> f64 {
        match self {
            Indicator::OnlineProcedures
            | Indicator::OnlinePayment
            | Indicator::DigitizedDossiers
            | Indicator::ReusedData => 80.0,
            Indicator::OnlineDossiers => 50.0,
            Indicator::HandlingSatisfaction => 90.0,
            _ => 100.0,
        }
    }

    /// A stable name (weights in configuration, anchors on the page).
    pub fn id(self) -> &'static str {
        match self {
            Indicator::PublishedProcedures => "published_procedures",
            Indicator::SyncedDossiers => "synced_dossiers",
            Indicator::OnTime => "on_time",
            Indicator::OnlineProcedures => "online_procedures",
            Indicator::OnlineDossiers => "online_dossiers",
            Indicator::OnlinePayment => "online_payment",
            Indicator::DigitizedDossiers => "digitized_dossiers",
            Indicator::ReusedData => "reused_data",
            Indicator::ElectronicResults => "electronic_results",
            Indicator::FeedbackOnTime => "feedback_on_time",
            Indicator::FeedbackSatisfaction => "feedback_satisfaction",
            Indicator::HandlingSatisfaction => "handling_satisfaction",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Indicator::PublishedProcedures => "Thủ tục được công khai đúng hạn, đầy đủ",
            Indicator::SyncedDossiers => "Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
            Indicator::OnTime => "Hồ sơ giải quyết trước hạn, đúng hạn",
            Indicator::OnlineProcedures => "Thủ tục cung cấp dịch vụ công trực tuyến",
            Indicator::OnlineDossiers => "Hồ sơ nộp trực tuyến",
            Indicator::OnlinePayment => "Thanh toán trực tuyến",
            Indicator::DigitizedDossiers => "Hồ sơ được số hóa",
            Indicator::ReusedData => "Hồ sơ tái sử dụng dữ liệu đã số hóa",
            Indicator::ElectronicResults => "Kết quả giải quyết điện tử",
            Indicator::FeedbackOnTime => "Phản ánh, kiến nghị xử lý đúng hạn",
            Indicator::FeedbackSatisfaction => "Hài lòng với việc xử lý phản ánh, kiến nghị",
            Indicator::HandlingSatisfaction => "Hài lòng với việc giải quyết hồ sơ",
        }
    }

    /// The formula, shown beside the figure.
    pub fn formula_vi(self) -> &'static str {
        match self {
            Indicator::PublishedProcedures => "Số thủ tục công khai đúng hạn, đầy đủ ÷ tổng số thủ tục × 100%",
            Indicator::SyncedDossiers => "Số hồ sơ đồng bộ lên Cổng quốc gia ÷ tổng số hồ sơ tiếp nhận × 100%",
            Indicator::OnTime => {
                "(Số hồ sơ giải quyết trước hạn + đúng hạn) ÷ (số hồ sơ đã giải quyết trong kỳ + số hồ sơ \
                 đang giải quyết đã quá hạn tại cuối kỳ) × 100%; yêu cầu bổ sung quá một lần tính là quá hạn"
            }
            Indicator::OnlineProcedures => {
                "Số thủ tục có kênh nộp trực tuyến ÷ số thủ tục có hồ sơ tiếp nhận trong kỳ × 100%; đủ điểm khi ≥ 80%"
            }
            Indicator::OnlineDossiers => {
                "Số hồ sơ tiếp nhận trực tuyến ÷ tổng số hồ sơ tiếp nhận × 100%; đủ điểm khi ≥ 50%"
            }
            Indicator::OnlinePayment => {
                "Số hồ sơ thanh toán trực tuyến ÷ số hồ sơ phải nộp phí × 100%; đủ điểm khi ≥ 80%"
            }
            Indicator::DigitizedDossiers => {
                "Số hồ sơ chuyển xử lý với toàn bộ giấy tờ đã số hóa ÷ số hồ sơ chuyển xử lý × 100%; đủ điểm khi ≥ 80%"
            }
            Indicator::ReusedData => {
                "Số hồ sơ chuyển xử lý có giấy tờ tái sử dụng từ kho dữ liệu điện tử ÷ số hồ sơ chuyển xử lý × 100%; \
                 đủ điểm khi ≥ 80%"
            }
            Indicator::ElectronicResults => {
                "Số kết quả trả bản điện tử qua mạng ÷ số kết quả đã trả × 100% (mọi kết quả đều được số hóa \
                 trước khi trả, Nghị định 45/2020)"
            }
            Indicator::FeedbackOnTime => {
                "Số phản ánh, kiến nghị trả lời đúng hạn ÷ số phản ánh, kiến nghị đến hạn trong kỳ (đã trả lời hoặc đã quá hạn) × 100%"
            }
            Indicator::FeedbackSatisfaction => "Số đánh giá hài lòng với việc xử lý phản ánh ÷ tổng số đánh giá × 100%",
            Indicator::HandlingSatisfaction => {
                "100% − (tỷ lệ hồ sơ quá hạn + tỷ lệ đánh giá \"Không hài lòng\"); đủ điểm khi ≥ 90%"
            }
        }
    }
}

/// A share: how many of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Share {
    pub part: i64,
    pub whole: i64,
}

impl Share {
    pub fn new(part: i64, whole: i64) -> Share {
        Share { part, whole }
    }

    /// In percent, clamped to 0–100; `None` when there is nothing to divide by.
    pub fn rate(self) -> Option<f64> {
        (self.whole > 0).then(|| (self.part.max(0) as f64 * 100.0 / self.whole as f64).min(100.0))
    }
}

/// The applicants' ratings of finished dossiers (per dossier, once: DOMAIN §Satisfaction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ratings {
    pub very_satisfied: i64,
    pub satisfied: i64,
    pub dissatisfied: i64,
}

impl Ratings {
    pub fn total(self) -> i64 {
        self.very_satisfied + self.satisfied + self.dissatisfied
    }
}

/// What the index is computed from, per agency and period. `None`: not counted (yet).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexCounts {
    pub published_procedures: Option<Share>,
    pub synced_dossiers: Option<Share>,
    /// Settled early or on time, of all settled and of those still being handled and already
    /// late at the period's end.
    pub on_time: Option<Share>,
    pub online_procedures: Option<Share>,
    /// Received online, of all received.
    pub online_dossiers: Option<Share>,
    pub online_payment: Option<Share>,
    /// Handed over fully digitized, of all handed over.
    pub digitized_dossiers: Option<Share>,
    pub reused_data: Option<Share>,
    pub electronic_results: Option<Share>,
    pub feedback_on_time: Option<Share>,
    pub feedback_satisfaction: Option<Share>,
    /// The ratings of the period's finished dossiers; with the late share of [`Self::on_time`],
    /// the satisfaction with dossier handling. `None` until ratings are collected.
    pub ratings: Option<Ratings>,
}

/// The points of each indicator inside its group (configurable). Each group's points are shared
/// out by these weights, so they always add up to the group's points.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexWeights {
    weights: Vec<(Indicator, f64)>,
}

impl Default for IndexWeights {
    /// An even split inside each group (the decision does not publish all of them).
    fn default() -> Self {
        IndexWeights { weights: Indicator::ALL.iter().map(|i| (*i, 1.0)).collect() }
    }
}

impl IndexWeights {
    /// Sets an indicator's relative weight inside its group (negative or non-finite: 0).
    pub fn with(mut self, indicator: Indicator, weight: f64) -> Self {
        let w = if weight.is_finite() && weight > 0.0 { weight } else { 0.0 };
        for (i, v) in &mut self.weights {
            if *i == indicator {
                *v = w;
            }
        }
        self
    }

    fn weight(&self, indicator: Indicator) -> f64 {
        self.weights.iter().find(|(i, _)| *i == indicator).map_or(0.0, |(_, w)| *w)
    }

    /// The indicator's points: its share of its group's points.
    pub fn points(&self, indicator: Indicator) -> f64 {
        let g = indicator.group();
        let sum: f64 = Indicator::ALL.iter().filter(|i| i.group() == g).map(|i| self.weight(*i)).sum();
        if sum <= 0.0 { 0.0 } else { g.points() * self.weight(indicator) / sum }
    }
}

/// One indicator judged.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorScore {
    pub indicator: Indicator,
    /// The counts it was computed from (for satisfaction with handling: the late and
    /// dissatisfied dossiers over the settled and rated ones is shown by the caller).
    pub share: Option<Share>,
    /// In percent; `None`: no data.
    pub rate: Option<f64>,
    pub points: f64,
    /// `None`: no data, not scored.
    pub score: Option<f64>,
}

/// One group judged.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupScore {
    pub group: Group,
    pub indicators: Vec<IndicatorScore>,
    /// The sum of the scored indicators.
    pub score: f64,
    /// The points of the indicators that could be scored (the rest has no data).
    pub judged_points: f64,
}

/// The whole index.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexScore {
    pub groups: Vec<GroupScore>,
    pub total: f64,
    pub judged_points: f64,
}

/// The score of a rate against a threshold: full points at or above it, proportional below.
pub fn proportional(rate: f64, threshold: f64, points: f64) -> f64 {
    if threshold <= 0.0 || rate >= threshold { points } else { (rate.max(0.0) * points / threshold).max(0.0) }
}

/// Satisfaction with dossier handling: 100% − (late rate + dissatisfied rate), at least 0.
/// `None` without ratings or without settled dossiers.
pub fn handling_satisfaction(on_time: Option<Share>, ratings: Option<Ratings>) -> Option<f64> {
    let settled = on_time?;
    let r = ratings?;
    let late_rate = 100.0 - settled.rate()?;
    let dissatisfied_rate = Share::new(r.dissatisfied, r.total()).rate().unwrap_or(0.0);
    Some((100.0 - late_rate - dissatisfied_rate).max(0.0))
}

/// Computes every indicator and group from `counts`.
pub fn compute(counts: &IndexCounts, weights: &IndexWeights) -> IndexScore {
    let share_of = |i: Indicator| -> Option<Share> {
        match i {
            Indicator::PublishedProcedures => counts.published_procedures,
            Indicator::SyncedDossiers => counts.synced_dossiers,
            Indicator::OnTime => counts.on_time,
            Indicator::OnlineProcedures => counts.online_procedures,
            Indicator::OnlineDossiers => counts.online_dossiers,
            Indicator::OnlinePayment => counts.online_payment,
            Indicator::DigitizedDossiers => counts.digitized_dossiers,
            Indicator::ReusedData => counts.reused_data,
            Indicator::ElectronicResults => counts.electronic_results,
            Indicator::FeedbackOnTime => counts.feedback_on_time,
            Indicator::FeedbackSatisfaction => counts.feedback_satisfaction,
            Indicator::HandlingSatisfaction => None,
        }
    };
    let mut groups = Vec::new();
    for g in Group::ALL {
        let mut indicators = Vec::new();
        for i in Indicator::ALL.into_iter().filter(|i| i.group() == g) {
            let points = weights.points(i);
            let share = share_of(i);
            let rate = if i == Indicator::HandlingSatisfaction {
                handling_satisfaction(counts.on_time, counts.ratings)
            } else {
                share.and_then(Share::rate)
            };
            let score = rate.map(|r| proportional(r, i.threshold(), points));
            indicators.push(IndicatorScore { indicator: i, share, rate, points, score });
        }
        let score = indicators.iter().filter_map(|i| i.score).sum();
        let judged_points = indicators.iter().filter(|i| i.score.is_some()).map(|i| i.points).sum();
        groups.push(GroupScore { group: g, indicators, score, judged_points });
    }
    let total = groups.iter().map(|g| g.score).sum();
    let judged_points = groups.iter().map(|g| g.judged_points).sum();
    IndexScore { groups, total, judged_points }
}

#[cfg(test)]
mod tests;
