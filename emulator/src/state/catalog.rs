//! The small fixed product catalog: service and resource types, specs with prices, measure
//! units, and a few administrative regions. Prices are exact decimals (CNY).

use rust_decimal::Decimal;

/// (code, name, abbreviation)
pub const SERVICE_TYPES: &[(&str, &str, &str)] = &[
    ("hws.service.type.ec2", "Elastic Cloud Server", "ECS"),
    ("hws.service.type.ebs", "Elastic Volume Service", "EVS"),
    ("hws.service.type.vpc", "Virtual Private Cloud", "VPC"),
    ("hws.service.type.obs", "Object Storage Service", "OBS"),
];

/// (code, name, description, service type)
pub const RESOURCE_TYPES: &[(&str, &str, &str, &str)] = &[
    (
        "hws.resource.type.vm",
        "Cloud server",
        "Elastic cloud server instance",
        "hws.service.type.ec2",
    ),
    (
        "hws.resource.type.volume",
        "Disk",
        "Elastic volume",
        "hws.service.type.ebs",
    ),
    (
        "hws.resource.type.bandwidth",
        "Bandwidth",
        "Public bandwidth",
        "hws.service.type.vpc",
    ),
    (
        "hws.resource.type.ip",
        "Elastic IP",
        "Elastic public IP address",
        "hws.service.type.vpc",
    ),
    (
        "hws.resource.type.obs",
        "Standard storage",
        "Object storage, standard class",
        "hws.service.type.obs",
    ),
];

/// Regions every spec is sold in.
pub const REGIONS: &[(&str, &str)] = &[
    ("cn-north-4", "CN North-Beijing4"),
    ("cn-east-3", "CN East-Shanghai1"),
    ("cn-south-1", "CN South-Guangzhou"),
    ("ap-southeast-1", "AP-Singapore"),
];

/// One sellable spec.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub service_type: &'static str,
    pub resource_type: &'static str,
    pub spec_code: &'static str,
    pub product_id: &'static str,
    pub desc: &'static str,
    /// Price per hour of pay-per-use (per unit of size when `sized`).
    pub hourly: &'static str,
    /// Price per month of a yearly/monthly subscription (per unit of size when `sized`).
    pub monthly: &'static str,
    /// Priced per GB or per Mbit/s.
    pub sized: bool,
}

impl Spec {
    pub fn hourly(&self) -> Decimal {
        self.hourly.parse().unwrap_or_default()
    }
    pub fn monthly(&self) -> Decimal {
        self.monthly.parse().unwrap_or_default()
    }
}

pub const SPECS: &[Spec] = &[
    Spec {
        service_type: "hws.service.type.ec2",
        resource_type: "hws.resource.type.vm",
        spec_code: "s6.small.1.linux",
        product_id: "00301-01001-0--0",
        desc: "General computing s6 | 1 vCPU | 1 GiB | Linux",
        hourly: "0.10",
        monthly: "36.00",
        sized: false,
    },
    Spec {
        service_type: "hws.service.type.ec2",
        resource_type: "hws.resource.type.vm",
        spec_code: "s6.large.2.linux",
        product_id: "00301-01002-0--0",
        desc: "General computing s6 | 2 vCPUs | 4 GiB | Linux",
        hourly: "0.40",
        monthly: "144.00",
        sized: false,
    },
    Spec {
        service_type: "hws.service.type.ebs",
        resource_type: "hws.resource.type.volume",
        spec_code: "SATA",
        product_id: "00301-02001-0--0",
        desc: "Common I/O disk, per GB",
        hourly: "0.0007",
        monthly: "0.30",
        sized: true,
    },
    Spec {
        service_type: "hws.service.type.ebs",
        resource_type: "hws.resource.type.volume",
        spec_code: "SSD",
        product_id: "00301-02002-0--0",
        desc: "Ultra-high I/O disk, per GB",
        hourly: "0.0014",
        monthly: "1.00",
        sized: true,
    },
    Spec {
        service_type: "hws.service.type.vpc",
        resource_type: "hws.resource.type.bandwidth",
        spec_code: "19_bgp",
        product_id: "00301-03001-0--0",
        desc: "Dynamic BGP bandwidth, per Mbit/s",
        hourly: "0.063",
        monthly: "23.00",
        sized: true,
    },
];

/// The spec sold as (service type, resource type, spec code) in `region`.
pub fn find_spec(
    service_type: &str,
    resource_type: &str,
    spec_code: &str,
    region: &str,
) -> Option<&'static Spec> {
    if !REGIONS.iter().any(|(r, _)| *r == region) {
        return None;
    }
    SPECS.iter().find(|s| {
        s.service_type == service_type
            && s.resource_type == resource_type
            && s.spec_code == spec_code
    })
}

pub fn service_name(code: &str) -> &'static str {
    SERVICE_TYPES
        .iter()
        .find(|s| s.0 == code)
        .map_or("Other", |s| s.1)
}

pub fn resource_name(code: &str) -> &'static str {
    RESOURCE_TYPES
        .iter()
        .find(|s| s.0 == code)
        .map_or("Other", |s| s.1)
}

pub fn region_name(code: &str) -> &'static str {
    REGIONS
        .iter()
        .find(|s| s.0 == code)
        .map_or("Unknown region", |s| s.1)
}

/// (measure_id, name, abbreviation, measure_type): 1 currency, 2 duration, 3 capacity, 4 bandwidth.
pub const MEASURE_UNITS: &[(i64, &str, &str, i64)] = &[
    (1, "Yuan", "CNY", 1),
    (2, "Jiao", "Jiao", 1),
    (3, "Fen", "Fen", 1),
    (4, "Hour", "h", 2),
    (10, "Day", "d", 2),
    (11, "Month", "mon", 2),
    (17, "Gigabyte", "GB", 3),
    (19, "Terabyte", "TB", 3),
    (26, "Mbit/s", "Mbps", 4),
];

/// (measure_id, ref_measure_id, ratio, measure_type): 1 of `measure_id` = ratio of `ref_measure_id`.
pub const CONVERSIONS: &[(i64, i64, i64, i64)] = &[
    (1, 2, 10, 1),
    (2, 3, 10, 1),
    (10, 4, 24, 2),
    (19, 17, 1024, 3),
];

/// Hours in one unit of a duration measure, for pay-per-use ratings.
pub fn hours_per(measure_id: i64) -> Option<Decimal> {
    match measure_id {
        4 => Some(Decimal::ONE),
        10 => Some(Decimal::from(24)),
        11 => Some(Decimal::from(720)),
        _ => None,
    }
}

/// (usage type code, name, resource type)
pub const USAGE_TYPES: &[(&str, &str, &str)] = &[
    ("duration", "Duration", "hws.resource.type.vm"),
    ("capacity", "Capacity", "hws.resource.type.volume"),
    ("upflow", "Outbound traffic", "hws.resource.type.bandwidth"),
    ("storage", "Storage", "hws.resource.type.obs"),
];

pub const PROVINCES: &[(&str, &str)] = &[
    ("110000", "Beijing"),
    ("310000", "Shanghai"),
    ("440000", "Guangdong"),
];

/// (province, code, name)
pub const CITIES: &[(&str, &str, &str)] = &[
    ("110000", "110100", "Beijing"),
    ("310000", "310100", "Shanghai"),
    ("440000", "440100", "Guangzhou"),
    ("440000", "440300", "Shenzhen"),
];

/// (city, code, name)
pub const COUNTIES: &[(&str, &str, &str)] = &[
    ("110100", "110105", "Chaoyang"),
    ("110100", "110108", "Haidian"),
    ("310100", "310115", "Pudong"),
    ("440100", "440106", "Tianhe"),
    ("440300", "440305", "Nanshan"),
    ("440300", "440307", "Longgang"),
];
