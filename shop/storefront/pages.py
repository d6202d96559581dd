"""The pages every Korean online shop shows: 이용약관 and 개인정보처리방침 (the 사업자 정보
footer is in templates/base.html, from BUSINESS_INFO)."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("pages", __name__)


@bp.get("/terms")
def terms():
    return render_template("pages/terms.html")


@bp.get("/privacy")
def privacy():
    return render_template("pages/privacy.html")


# 공정거래위원회's 사업자정보 확인 page for an online seller (전자상거래법 제10조), which every
# Korean shop links from its footer; it takes the 사업자등록번호's ten digits.
FTC_BUSINESS_CHECK = "https://www.ftc.go.kr/bizCommPop.do?wrkr_no={digits}"


@bp.app_context_processor
def footer_facts() -> dict:
    registration = current_app.config["BUSINESS_INFO"].get("사업자등록번호", "")
    digits = "".join(character for character in registration if character.isdigit())
    return {"ftc_business_check": FTC_BUSINESS_CHECK.format(digits=digits) if digits else None}
