//! Resource specifications of the fixed catalog (`state::catalog::SPECS`), paged by marker by the
//! shared list helper: the specs of a cloud service type and resource type, and (international
//! site) the specs with their official prices.

use hcpartner::generated::models::*;
use serde_json::Value;

use super::{json, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::state::catalog::{self, Spec};

fn region(code: &str) -> ApiResult<()> {
    if catalog::REGIONS.iter().any(|(r, _)| *r == code) {
        Ok(())
    } else {
        Err(ApiError::param(
            "region_code",
            format!("is not a region the catalog sells in ({code})"),
        ))
    }
}

/// The spec-code filter (`RESOURCE_SPEC`), the only key both APIs share.
fn spec_filter<'a>(filters: impl Iterator<Item = (&'a str, &'a str)>) -> ApiResult<Option<String>> {
    let mut out = None;
    for (key, value) in filters {
        match key {
            "RESOURCE_SPEC" => out = Some(value.to_owned()),
            "CHARGING_MODE" => {}
            _ => {
                return Err(ApiError::param(
                    "filters.key",
                    "must be RESOURCE_SPEC or CHARGING_MODE",
                ))
            }
        }
    }
    Ok(out)
}

pub fn resource_specs(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ListResourceSpecsRequest = ctx.p.req()?;
    region(&req.region_code)?;
    if !["1", "3"].contains(&req.charge_mode.as_str()) {
        return Err(ApiError::param(
            "charge_mode",
            "must be 1 (yearly/monthly) or 3 (pay-per-use)",
        ));
    }
    let only = spec_filter(
        req.filters
            .iter()
            .flatten()
            .map(|f| (f.key.as_str(), f.value.as_str())),
    )?;
    let items = catalog::SPECS
        .iter()
        .filter(|s| {
            s.service_type == req.cloud_service_type && s.resource_type == req.resource_type
        })
        .filter(|s| only.as_ref().is_none_or(|o| o == s.spec_code))
        .map(|s| CloudServiceBasic {
            cloud_service_type: Some(s.service_type.to_owned()),
            cloud_service_type_name: Some(catalog::service_name(s.service_type).to_owned()),
            resource_type: Some(s.resource_type.to_owned()),
            resource_type_name: Some(catalog::resource_name(s.resource_type).to_owned()),
            resource_spec: Some(s.spec_code.to_owned()),
            resource_spec_name: Some(s.desc.to_owned()),
            charge_mode: Some(req.charge_mode.clone()),
            region_code: Some(req.region_code.clone()),
            ..Default::default()
        })
        .collect();
    json(&ListResourceSpecsResponse {
        cloud_service_basics: Some(items),
        ..Default::default()
    })
}

fn prices(s: &Spec, currency: &str, wanted: Option<&str>) -> Vec<PriceItem> {
    let all = [
        ("ON_DEMAND", s.hourly(), 4, vec![1]),
        ("PERIOD", s.monthly(), 2, (1..=11).collect()),
        (
            "PERIOD",
            s.monthly() * rust_decimal::Decimal::from(10),
            3,
            vec![1, 2, 3],
        ),
    ];
    all.into_iter()
        .filter(|(mode, ..)| wanted.is_none_or(|w| w == *mode))
        .map(|(mode, price, period_type, nums)| PriceItem {
            offering_id: Some(format!("{}-{mode}-{period_type}", s.product_id)),
            currency: Some(currency.to_owned()),
            official_price: Some(price.to_string()),
            charging_mode: Some(mode.to_owned()),
            period_type: Some(period_type),
            period_nums: Some(nums),
            ..Default::default()
        })
        .collect()
}

pub fn resource_specs_price(ctx: &mut Ctx<'_>) -> ApiResult<Value> {
    let req: ListResourceSpecsPriceRequest = ctx.p.req()?;
    region(&req.region_code)?;
    let filters: Vec<(&str, &str)> = req
        .filters
        .iter()
        .flatten()
        .map(|f| (f.key.as_str(), f.value.as_str()))
        .collect();
    let only = spec_filter(filters.iter().copied())?;
    let mode = filters
        .iter()
        .find(|(k, _)| *k == "CHARGING_MODE")
        .map(|(_, v)| *v);
    let currency = ctx.currency();
    let items = catalog::SPECS
        .iter()
        .filter(|s| {
            req.cloud_service_type
                .as_ref()
                .is_none_or(|t| t == s.service_type)
        })
        .filter(|s| {
            req.resource_type
                .as_ref()
                .is_none_or(|t| t == s.resource_type)
        })
        .filter(|s| only.as_ref().is_none_or(|o| o == s.spec_code))
        .map(|s| ResourceSpecInfo {
            cloud_service_type: Some(s.service_type.to_owned()),
            cloud_service_type_name: Some(catalog::service_name(s.service_type).to_owned()),
            resource_type: Some(s.resource_type.to_owned()),
            resource_type_name: Some(catalog::resource_name(s.resource_type).to_owned()),
            resource_spec: Some(s.spec_code.to_owned()),
            resource_spec_name: Some(s.desc.to_owned()),
            attributes: req.need_attributes.unwrap_or(false).then(|| {
                vec![Attribute {
                    code: Some("size".to_owned()),
                    name: Some(if s.sized { "Size" } else { "Instance" }.to_owned()),
                    unit: Some(if s.sized { "GB" } else { "" }.to_owned()),
                    linear_range: s.sized.then(|| LinearRange {
                        min: Some(1),
                        max: Some(32768),
                        step: Some(1),
                        ..Default::default()
                    }),
                    ..Default::default()
                }]
            }),
            price_lists: req
                .need_price
                .unwrap_or(false)
                .then(|| prices(s, &currency, mode)),
            ..Default::default()
        })
        .collect();
    json(&ListResourceSpecsPriceResponse {
        region_code: Some(req.region_code.clone()),
        resource_spec_infos: Some(items),
        ..Default::default()
    })
}
