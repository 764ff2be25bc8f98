"""Salary estimate: a CatBoost model over hh.ru vacancies and its schedule × experience grid.

``fit_salary_model`` trains (``report``: the study's reference model; ``product``:
quartiles with more features and monotone experience), ``SalaryModel.salary_grid``
answers a skills query, ``salary_chart`` draws the grid for a chat.
"""

from recommender.salary.chart import salary_chart
from recommender.salary.config import CONFIGS, PRODUCT, REPORT, SalaryConfig
from recommender.salary.features import DEFAULT_SALARY_BOUNDS, SalaryInput, TrainingRows, training_rows
from recommender.salary.grid import THIN_SUPPORT, SalaryCell, SalaryGrid, monotone_violations
from recommender.salary.model import SalaryModel, default_thread_count
from recommender.salary.train import fit_salary_model

__all__ = [
    "CONFIGS",
    "DEFAULT_SALARY_BOUNDS",
    "PRODUCT",
    "REPORT",
    "THIN_SUPPORT",
    "SalaryCell",
    "SalaryConfig",
    "SalaryGrid",
    "SalaryInput",
    "SalaryModel",
    "TrainingRows",
    "default_thread_count",
    "fit_salary_model",
    "monotone_violations",
    "salary_chart",
    "training_rows",
]
