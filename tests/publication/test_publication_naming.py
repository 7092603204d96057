"""The name a target is published under: an individual business's operator is masked in it, as
the national disclosure system does; every other kind keeps its registered name."""

from __future__ import annotations

import pytest

from spotcheck.publication.naming import public_name


@pytest.mark.parametrize(("kind", "name", "operator", "published"), [
    ("individual_business", "城东区张三明便利店", "张三明", "城东区张*明便利店"),
    ("individual_business", "张三明", "张三明", "张*明"),
    ("individual_business", "欧阳小明烟酒商行", "欧阳小明", "欧**明烟酒商行"),
    ("individual_business", "李四面馆", "李四", "李*面馆"),
    ("individual_business", "城东区福旺牛肉面馆", "王五", "城东区福旺牛肉面馆"),
    ("individual_business", "城东区福旺牛肉面馆", None, "城东区福旺牛肉面馆"),
    ("company", "西宁张三明商贸有限公司", "张三明", "西宁张三明商贸有限公司"),
    ("sole_proprietorship", "张三明个人独资企业", "张三明", "张三明个人独资企业"),
])
def test_an_individual_business_is_published_with_its_operator_masked(kind, name, operator, published):
    assert public_name(kind, name, operator) == published
