"""A company's own data: monthly actuals and CRM lead records in, and a synthetic company out."""

from orgsim.calibration.actuals import COLUMNS, MonthlyActuals, read_actuals
from orgsim.calibration.csvfile import DataError
from orgsim.calibration.records import (
    ColumnMapping,
    LeadRecords,
    mapping_from,
    read_mapping,
    read_records,
)
from orgsim.calibration.synthesize import SynthesisError, SyntheticCompany, synthesize

__all__ = [
    "COLUMNS",
    "ColumnMapping",
    "DataError",
    "LeadRecords",
    "MonthlyActuals",
    "SynthesisError",
    "SyntheticCompany",
    "mapping_from",
    "read_actuals",
    "read_mapping",
    "read_records",
    "synthesize",
]
