"""A small synthetic vacancy corpus for the bot tests: five fields with their own skills,
cities, schedules, experience levels and salaries, so a real bundle trains in seconds."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from recommender.data.models import Salary, Vacancy

FIELDS: dict[str, tuple[list[str], list[str], int]] = {
    # field: (titles, skills, median monthly salary)
    "data": (
        ["Аналитик данных", "Data Scientist", "Junior аналитик данных маркетплейсов"],
        ["Python", "SQL", "Pandas", "Machine Learning", "Statistics", "Tableau", "Excel", "NumPy"],
        140_000,
    ),
    "frontend": (
        ["Frontend-разработчик", "React Developer", "Верстальщик"],
        ["JavaScript", "React", "HTML", "CSS", "TypeScript", "Git", "Redux", "Webpack"],
        150_000,
    ),
    "design": (
        ["UX/UI дизайнер", "Графический дизайнер", "Веб-дизайнер"],
        ["Figma", "Adobe Photoshop", "Adobe Illustrator", "UX", "UI", "Sketch", "Прототипирование"],
        100_000,
    ),
    "accounting": (
        ["Бухгалтер", "Помощник бухгалтера", "Главный бухгалтер"],
        ["1С: Бухгалтерия", "Excel", "Бухгалтерский учет", "Налоговая отчетность", "Первичная документация"],
        80_000,
    ),
    "devops": (
        ["DevOps-инженер", "Системный администратор Linux", "SRE"],
        ["Linux", "Docker", "Kubernetes", "Ansible", "Bash", "CI/CD", "Git", "Python"],
        200_000,
    ),
}
CITIES = (("1", "Москва"), ("2", "Санкт-Петербург"), ("88", "Казань"))
SCHEDULES = ("fullDay", "remote", "flexible", "shift")
EXPERIENCES = ("noExperience", "between1And3", "between3And6", "moreThan6")
EMPLOYMENTS = ("full", "full", "part", "probation", "project")
NEWEST = datetime(2021, 11, 30, 12, 0)  # vacancies published over the 50 days before
EXPERIENCE_FACTOR = {"noExperience": 0.7, "between1And3": 1.0, "between3And6": 1.35, "moreThan6": 1.7}


def synthetic_vacancies(per_field: int = 60, seed: int = 7) -> list[Vacancy]:
    rng = random.Random(seed)
    vacancies = []
    for field_index, (titles, skills, median) in enumerate(FIELDS.values()):
        for i in range(per_field):
            vacancy_id = str(90_000_000 + field_index * 1000 + i)
            chosen = rng.sample(skills, k=rng.randint(3, min(6, len(skills))))
            area_id, area = CITIES[i % len(CITIES)]
            experience = EXPERIENCES[i % len(EXPERIENCES)]
            schedule = SCHEDULES[(i // 2) % len(SCHEDULES)]
            salary = None
            if i % 3 != 2:  # a third without a salary, as on hh
                value = median * EXPERIENCE_FACTOR[experience] * rng.uniform(0.85, 1.15)
                salary = Salary(value * 0.9, value * 1.1, "RUR", False, value, False)
            title = titles[i % len(titles)]
            vacancies.append(
                Vacancy(
                    id=vacancy_id,
                    title=title,
                    employer=f"Компания {field_index}-{i % 7}",
                    area=area,
                    area_id=area_id,
                    text=f"{title}. Требования: {', '.join(chosen)}. Работа в команде.",
                    key_skills=tuple(chosen),
                    experience=experience,
                    schedule=schedule,
                    employment=EMPLOYMENTS[(i // 3) % len(EMPLOYMENTS)],
                    published_at=NEWEST - timedelta(days=(i * 7 + field_index) % 50),
                    url=f"https://hh.ru/vacancy/{vacancy_id}",
                    salary=salary,
                    detail="card",
                )
            )
    return vacancies
