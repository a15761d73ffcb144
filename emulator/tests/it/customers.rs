//! Customers and real-name authentication.

use hcpartner::ErrorKind;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn create_and_list_customers() {
    let emu = start();
    let p = partner(&emu);
    let a = new_customer(&p, "x-100", None).await;
    let b = new_customer(&p, "x-101", Some("1")).await;
    assert_eq!(a.len(), 32);

    let all = p
        .call("list_sub_customers", json!({"limit": 100}))
        .await
        .unwrap();
    assert_eq!(
        all["count"], 4,
        "two seeded own customers plus two new: {all}"
    );
    let infos = all["customer_infos"].as_array().unwrap();
    assert!(
        infos.iter().all(|c| c["customer_id"] != SEED_FOREIGN_ID),
        "another partner's customer is never listed"
    );
    let ca = infos
        .iter()
        .find(|c| c["customer_id"] == a.as_str())
        .unwrap();
    assert_eq!(
        (
            ca["association_type"].as_str(),
            ca["xaccount_id"].as_str(),
            ca["customer_level"].as_str()
        ),
        (Some("2"), Some("x-100"), Some("V0"))
    );
    assert_eq!(
        (ca["verified_status"].as_str(), ca["account_name"].as_str()),
        (Some("-1"), Some("cust_x-100"))
    );
    let cb = infos
        .iter()
        .find(|c| c["customer_id"] == b.as_str())
        .unwrap();
    assert_eq!(cb["association_type"], "1");

    // Pagination in the body, total in `count`.
    let page = p
        .call("list_sub_customers", json!({"offset": 1, "limit": 2}))
        .await
        .unwrap();
    assert_eq!(
        (
            page["count"].as_i64(),
            page["customer_infos"].as_array().unwrap().len()
        ),
        (Some(4), 2)
    );
    let consult = p
        .call("list_sub_customers", json!({"association_type": "1"}))
        .await
        .unwrap();
    assert_eq!(consult["count"], 2);
    let fuzzy = p
        .call("list_sub_customers", json!({"customer": "X-10"}))
        .await
        .unwrap();
    assert_eq!(fuzzy["count"], 2);

    // The emulator's own validation names the field.
    let e = raw(&p, "list_sub_customers", json!({"limit": 101}))
        .await
        .unwrap_err();
    assert_eq!((e.code(), e.status()), (Some("CBC.0100"), Some(400)));
    assert!(e.message().contains("`limit`"), "{e}");
}

#[tokio::test]
async fn create_sub_customer_rules() {
    let emu = start();
    let p = partner(&emu);
    new_customer(&p, "dup-1", None).await;
    let again = raw(
        &p,
        "create_sub_customer",
        json!({"xaccount_id": "dup-1", "xaccount_type": "hcp_demo_IDP"}),
    )
    .await;
    assert_eq!(code(again), "CBC.99000039");
    let bad_name = raw(
        &p,
        "create_sub_customer",
        json!({"xaccount_id": "n1", "xaccount_type": "hcp_demo_IDP", "domain_name": "1bad"}),
    )
    .await;
    assert_eq!(code(bad_name), "CBC.99000031");
    let taken = raw(&p, "create_sub_customer", json!({"xaccount_id": "n2", "xaccount_type": "hcp_demo_IDP", "domain_name": SEED_RESALE_NAME})).await;
    assert_eq!(code(taken), "CBC.99000038");
    let e = raw(
        &p,
        "create_sub_customer",
        json!({"xaccount_type": "hcp_demo_IDP"}),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), Some("CBC.0100"));
    assert!(e.message().contains("xaccount_id"), "{e}");
    let e = raw(
        &p,
        "create_sub_customer",
        json!({"xaccount_id": "n3", "xaccount_type": "someone_else"}),
    )
    .await
    .unwrap_err();
    assert!(e.message().contains("xaccount_type"), "{e}");
    // The client validates before sending: nothing reaches the emulator.
    let before = emu.received("create_sub_customer");
    let e = p
        .call(
            "create_sub_customer",
            json!({"xaccount_type": "hcp_demo_IDP"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidArgument, Some("xaccount_id"))
    );
    assert_eq!(emu.received("create_sub_customer"), before);

    // A mobile number needs the code sent first.
    let e = raw(&p, "create_sub_customer", json!({"xaccount_id": "m1", "xaccount_type": "hcp_demo_IDP", "mobile_phone": "13900000001", "verification_code": "123456"})).await;
    assert_eq!(code(e), "CBC.99004010");
    p.call(
        "send_verification_message_code",
        json!({"receiver_type": 1, "mobile_phone": "13900000001"}),
    )
    .await
    .unwrap();
    let wrong = raw(&p, "create_sub_customer", json!({"xaccount_id": "m1", "xaccount_type": "hcp_demo_IDP", "mobile_phone": "13900000001", "verification_code": "000000"})).await;
    assert_eq!(code(wrong), "CBC.99004010");
    p.call("create_sub_customer", json!({"xaccount_id": "m1", "xaccount_type": "hcp_demo_IDP", "mobile_phone": "13900000001", "verification_code": "123456"})).await.unwrap();
    let check = p
        .call(
            "check_user_identity",
            json!({"search_type": "mobile", "search_value": "13900000001"}),
        )
        .await
        .unwrap();
    assert_eq!(check["check_result"], "used_by_user");
    let check = p
        .call(
            "check_user_identity",
            json!({"search_type": "name", "search_value": "nobody_here"}),
        )
        .await
        .unwrap();
    assert_eq!(check["check_result"], "available");
    let tags = p
        .call(
            "list_sub_customer_new_tag",
            json!({"customer_ids": [SEED_RESALE_ID]}),
        )
        .await
        .unwrap();
    assert_eq!(tags["new_customer_tags"][0]["new_customer_tag"], "0");
}

#[tokio::test]
async fn real_name_authentication() {
    let emu = start();
    let p = partner(&emu);
    let ind = new_customer(&p, "rn-1", None).await;
    let ent = new_customer(&p, "rn-2", None).await;
    let rej = new_customer(&p, "rn-3", None).await;

    let none = p
        .call(
            "show_realname_authentication_review_result",
            json!({"customer_id": ind}),
        )
        .await
        .unwrap();
    assert!(none.get("review_result").is_none(), "{none}");
    let r = p
        .call("create_personal_realname_auth", json!({"customer_id": ind, "identify_type": 0, "verified_file_url": ["a.jpg", "b.jpg"], "name": "Zhang San", "verified_number": "110101199001011234", "xaccount_type": "hcp_demo_IDP"}))
        .await
        .unwrap();
    assert_eq!(r["is_review"], 0);
    let res = p
        .call(
            "show_realname_authentication_review_result",
            json!({"customer_id": ind}),
        )
        .await
        .unwrap();
    assert_eq!(res["review_result"], 2);
    let again = raw(&p, "create_personal_realname_auth", json!({"customer_id": ind, "identify_type": 0, "verified_file_url": [], "name": "Zhang San", "verified_number": "1", "xaccount_type": "hcp_demo_IDP"})).await;
    assert_eq!(code(again), "CBC.99007188");

    p.call("create_enterprise_realname_authentication", json!({"customer_id": ent, "identify_type": 1, "verified_file_url": ["lic.jpg"], "corp_name": "Acme Ltd", "verified_number": "91110000MA0000001X", "xaccount_type": "hcp_demo_IDP"}))
        .await
        .unwrap();
    p.call("create_personal_realname_auth", json!({"customer_id": rej, "identify_type": 0, "verified_file_url": ["a.jpg"], "name": "Li Si", "verified_number": "110101199001010000", "xaccount_type": "hcp_demo_IDP"}))
        .await
        .unwrap();
    let res = p
        .call(
            "show_realname_authentication_review_result",
            json!({"customer_id": rej}),
        )
        .await
        .unwrap();
    assert_eq!(res["review_result"], 1);
    assert!(res["opinion"].as_str().is_some_and(|o| !o.is_empty()));

    let list = p
        .call("list_sub_customers", json!({"limit": 100}))
        .await
        .unwrap();
    let find = |id: &str| {
        list["customer_infos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["customer_id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (
            find(&ind)["verified_status"].as_str(),
            find(&ind)["customer_type"].as_i64()
        ),
        (Some("2"), Some(0))
    );
    assert_eq!(
        (
            find(&ent)["verified_status"].as_str(),
            find(&ent)["customer_type"].as_i64()
        ),
        (Some("2"), Some(1))
    );
    assert_eq!(find(&ent)["customer"], "Acme Ltd");
    assert_eq!(find(&rej)["verified_status"], "1");

    // Individual to enterprise.
    p.call("change_enterprise_realname_authentication", json!({"customer_id": ind, "identify_type": 1, "verified_file_url": ["lic.jpg"], "corp_name": "Zhang Co", "verified_number": "91110000MA0000002X", "change_type": 1, "xaccount_type": "hcp_demo_IDP"}))
        .await
        .unwrap();
    let status = customer(&p, &emu, &ind)
        .call("show_real_name_auth_status", json!({}))
        .await
        .unwrap();
    assert_eq!(
        (
            status["verified_status"].as_i64(),
            status["verified_type"].as_i64()
        ),
        (Some(2), Some(1))
    );

    // Another partner's customer.
    let e = raw(
        &p,
        "show_realname_authentication_review_result",
        json!({"customer_id": SEED_FOREIGN_ID}),
    )
    .await;
    assert_eq!(code(e), "CBC.99000000");
}

#[tokio::test]
async fn review_takes_time_when_configured() {
    let emu = start_with(hcpartner_emulator::Options {
        review_delay: std::time::Duration::from_secs(3600),
        ..Default::default()
    });
    let p = partner(&emu);
    let id = new_customer(&p, "slow-1", None).await;
    let r = p
        .call("create_personal_realname_auth", json!({"customer_id": id, "identify_type": 0, "verified_file_url": ["a"], "name": "Wang Wu", "verified_number": "1101", "xaccount_type": "hcp_demo_IDP"}))
        .await
        .unwrap();
    assert_eq!(r["is_review"], 1);
    let res = p
        .call(
            "show_realname_authentication_review_result",
            json!({"customer_id": id}),
        )
        .await
        .unwrap();
    assert_eq!(res["review_result"], 0);
    emu.set_clock_offset(3601);
    // Token clients are unaffected by the skew; AK/SK would be refused past 15 minutes, so ask with a token.
    let t = partner_password(&emu);
    let res = t
        .call(
            "show_realname_authentication_review_result",
            json!({"customer_id": id}),
        )
        .await
        .unwrap();
    assert_eq!(res["review_result"], 2);
}
