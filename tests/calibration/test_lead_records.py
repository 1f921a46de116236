"""Lead records: CRM headers are recognised, stages aggregate to months and cohorts, bad rows are named."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from orgsim.calibration import DataError, mapping_from, read_mapping, read_records
from orgsim.cli import main

HAND_MADE = """\
    lead_id,source,created_date,mql_date,sql_date,opportunity_date,status,close_date,amount
    1,inbound,2025-01-02,2025-01-03,2025-01-10,2025-01-20,won,2025-03-05,1000
    2,inbound,2025-01-05,2025-02-01,2025-02-03,,,,
    3,inbound,2025-01-09,,,,,,
    4,inbound,2025-01-20,,,,,,
    5,inbound,2025-02-01,2025-02-02,2025-02-10,2025-02-11,lost,2025-04-01,
    6,inbound,2025-02-14,,,,,,
    7,outbound,2025-02-15,,2025-02-15,2025-02-20,won,2025-02-28,500.5
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_stages_count_in_the_month_they_were_reached(tmp_path: Path) -> None:
    table = read_records(write(tmp_path, "r.csv", HAND_MADE)).monthly().table
    assert [str(month) for month in table.index] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert table["leads"].tolist() == [4, 2, 0, 0]
    assert table["mqls"].tolist() == [1, 2, 0, 0]
    assert table["sqls"].tolist() == [1, 3, 0, 0]
    assert table["opportunities"].tolist() == [1, 2, 0, 0]
    assert table["wins"].tolist() == [0, 1, 1, 0]
    assert table["revenue"].tolist() == [0.0, 500.5, 1000.0, 0.0]


def test_cohort_conversion_is_the_share_of_a_months_inbound_leads_reaching_each_stage(
    tmp_path: Path,
) -> None:
    cohorts = read_records(write(tmp_path, "r.csv", HAND_MADE)).cohorts()
    january, february = cohorts.loc["2025-01"], cohorts.loc["2025-02"]
    assert january[["leads", "mqls", "sqls", "opportunities", "wins"]].tolist() == [4, 2, 2, 1, 1]
    assert january["lead_to_mql"] == 0.5
    assert january["lead_to_opportunity"] == 0.25
    assert january["lead_to_win"] == 0.25
    assert february[["leads", "mqls", "wins"]].tolist() == [2, 1, 0]
    assert february["lead_to_sql"] == 0.5


HUBSPOT = """\
    Record ID,Email,createdate,hs_lifecyclestage_marketingqualifiedlead_date,hs_lifecyclestage_salesqualifiedlead_date,hs_lifecyclestage_opportunity_date,hs_lifecyclestage_customer_date,hs_analytics_source
    101,a@x.com,2025-01-03T10:00:00.000Z,2025-01-04T09:00:00.000Z,2025-01-10T00:00:00Z,2025-01-11,2025-02-01,ORGANIC_SEARCH
    102,b@x.com,2025-01-05T08:00:00Z,,,,,PAID_SEARCH
"""

SALESFORCE = """\
    Lead ID,Created Date,Converted Date,Lead Source,Stage,Close Date,Amount,Won
    00Q1,2025-01-02,2025-01-08,Web,Closed Won,2025-02-20,2500,true
    00Q2,2025-01-04,2025-01-09,Purchased List,Prospecting,2025-03-01,900,false
    00Q3,2025-01-06,,Web,,,,
"""


def test_hubspot_export_names_are_recognised_and_a_customer_date_is_a_win(tmp_path: Path) -> None:
    records = read_records(write(tmp_path, "hubspot.csv", HUBSPOT))
    assert records.roles == {
        "created": "createdate",
        "mql": "hs_lifecyclestage_marketingqualifiedlead_date",
        "sql": "hs_lifecyclestage_salesqualifiedlead_date",
        "opportunity": "hs_lifecyclestage_opportunity_date",
        "close": "hs_lifecyclestage_customer_date",
        "source": "hs_analytics_source",
    }
    table = records.monthly().table
    assert table[["leads", "mqls", "sqls", "opportunities", "wins"]].to_numpy().tolist() == [
        [2, 1, 1, 1, 0],
        [0, 0, 0, 0, 1],
    ]


def test_salesforce_export_names_are_recognised_and_won_comes_from_the_won_column(
    tmp_path: Path,
) -> None:
    records = read_records(write(tmp_path, "salesforce.csv", SALESFORCE))
    assert records.roles == {
        "created": "Created Date",
        "sql": "Converted Date",
        "status": "Won",
        "close": "Close Date",
        "amount": "Amount",
        "source": "Lead Source",
    }
    table = records.monthly().table
    assert table["wins"].tolist() == [0, 1, 0]
    assert table["revenue"].tolist() == [0.0, 2500.0, 0.0]


def test_a_mapping_file_names_the_columns_and_outbound_sources(tmp_path: Path) -> None:
    crm = write(
        tmp_path,
        "crm.csv",
        """\
        Lead Created,MQL On,Origin
        03/01/2025,04/01/2025,Cold Call
        05/01/2025,,Webinar
        """,
    )
    mapping = write(
        tmp_path,
        "mapping.yaml",
        """\
        columns: {created: Lead Created, mql: MQL On, source: Origin}
        outbound_sources: [cold call]
        date_format: "%d/%m/%Y"
        """,
    )
    records = read_records(crm, read_mapping(mapping))
    assert records.table["created"].dt.day.tolist() == [3, 5]
    assert records.monthly().table["leads"].tolist() == [1]
    assert records.monthly().table["mqls"].tolist() == [1]


def test_a_stage_dated_before_the_stage_before_it_is_named_by_row(tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "bad.csv",
        """\
        created_date,mql_date,sql_date,status,close_date
        2025-01-10,2025-01-05,2025-01-12,,
        2025-01-10,,2025-01-08,,
        2025-01-10,someday,,won,
        """,
    )
    with pytest.raises(DataError) as caught:
        read_records(bad)
    assert str(caught.value).splitlines() == [
        f"{bad}:2 mql_date: expected a date on or after created_date (2025-01-10), got 2025-01-05",
        f"{bad}:3 sql_date: expected a date on or after created_date (2025-01-10), got 2025-01-08",
        f"{bad}:4 mql_date: expected a date as YYYY-MM-DD (ISO 8601), got 'someday'",
        f"{bad}:4 close_date: expected the close date of a won lead, got an empty value",
    ]


def test_a_file_without_a_created_date_says_what_would_do(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.csv", "Email,Lead Made\na@x.com,2025-01-01\n")
    with pytest.raises(DataError, match=r"bad.csv:1: no column for the date a lead was created"):
        read_records(bad)


def test_a_mapped_column_missing_from_the_header_gets_a_did_you_mean(tmp_path: Path) -> None:
    crm = write(tmp_path, "crm.csv", "Lead Created,MQL Date\n2025-01-01,\n")
    with pytest.raises(DataError) as caught:
        read_records(crm, mapping_from({"columns": {"created": "Lead Create"}}, "map.yaml"))
    assert str(caught.value) == (
        f"{crm}:1 Lead Create: map.yaml maps created to this column, which the header lacks, "
        "did you mean 'Lead Created'?"
    )


def test_a_mapping_with_an_unknown_role_is_refused_with_a_did_you_mean() -> None:
    with pytest.raises(DataError) as caught:
        mapping_from({"columns": {"oportunity": "Opp Date"}}, "map.yaml")
    assert str(caught.value).startswith(
        "map.yaml columns.oportunity: unknown role, did you mean 'opportunity'?"
    )


def test_the_cli_maps_columns_by_option_and_prints_cohorts(tmp_path: Path) -> None:
    crm = write(tmp_path, "crm.csv", "Lead Created,MQL On\n2025-01-03,2025-01-04\n2025-01-05,\n")
    result = CliRunner().invoke(
        main,
        [
            "actuals",
            "--records",
            str(crm),
            "--column",
            "created=Lead Created",
            "--column",
            "mql=MQL On",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "cohorts:" in result.stdout
    assert "lead_to_mql" in result.stdout


def test_the_readmes_mapping_example_is_a_valid_mapping() -> None:
    import re

    import yaml

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = next(
        block
        for block in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
        if "columns:" in block
    )
    mapping = mapping_from(yaml.safe_load(example), "README.md")
    assert mapping.columns["opportunity"] == "Opportunity Created"
    assert mapping.date_format == "%m/%d/%Y"
