"""The pages every Korean online shop shows: 이용약관 and 개인정보처리방침 (the 사업자 정보
footer is in templates/base.html, from BUSINESS_INFO)."""

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.get("/terms")
def terms():
    return render_template("pages/terms.html")


@bp.get("/privacy")
def privacy():
    return render_template("pages/privacy.html")
