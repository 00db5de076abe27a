"""What kinds of personal information the guard names, with their Japanese labels."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What kind of personal information a finding is (value = stable code)."""

    PHONE = "phone"
    EMAIL = "email"
    POSTAL_CODE = "postal_code"
    ADDRESS = "address"
    MY_NUMBER = "my_number"
    INSURANCE_NUMBER = "insurance_number"
    PENSION_NUMBER = "pension_number"
    BANK_ACCOUNT = "bank_account"
    LICENSE_NUMBER = "license_number"
    CAR_PLATE = "car_plate"
    BIRTH_DATE = "birth_date"
    PERSON_NAME = "person_name"
    SCHOOL_CLASS = "school_class"
    SNS_ID = "sns_id"


KIND_LABELS: dict[Kind, str] = {
    Kind.PHONE: "電話番号",
    Kind.EMAIL: "メールアドレス",
    Kind.POSTAL_CODE: "郵便番号",
    Kind.ADDRESS: "住所（番地・号など）",
    Kind.MY_NUMBER: "マイナンバー（個人番号）",
    Kind.INSURANCE_NUMBER: "保険証の記号・番号",
    Kind.PENSION_NUMBER: "年金の番号",
    Kind.BANK_ACCOUNT: "口座番号",
    Kind.LICENSE_NUMBER: "運転免許証の番号",
    Kind.CAR_PLATE: "自動車のナンバー",
    Kind.BIRTH_DATE: "生年月日",
    Kind.PERSON_NAME: "人の名前",
    Kind.SCHOOL_CLASS: "学校のクラスと名前",
    Kind.SNS_ID: "SNSやLINEのID",
}
