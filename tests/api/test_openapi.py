"""The API describes itself: OpenAPI JSON and a docs page, both public."""

from __future__ import annotations


def test_openapi_lists_every_endpoint_with_both_ways_to_log_in(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/me/today",
        "/api/v1/me/routine",
        "/api/v1/me/sessions",
        "/api/v1/patients",
        "/api/v1/patients/{patient_id}/sessions",
        "/api/v1/patients/{patient_id}/adherence",
    } <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}
    post = schema["paths"]["/api/v1/me/sessions"]["post"]
    assert {"200", "201"} <= set(post["responses"])


def test_api_docs_address_leads_to_the_docs_page(client, db):
    response = client.get("/api/docs", follow=True)
    assert response.redirect_chain[-1][0] == "/api/v1/docs"
    assert response.status_code == 200
    assert b"openapi.json" in response.content
    assert b"/static/ninja/swagger-ui" in response.content  # our own copy, no third-party CDN
    assert b"cdn." not in response.content
