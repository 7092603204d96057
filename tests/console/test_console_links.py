"""Every figure of the dashboard links to the list behind it, narrowed to the period."""

import re


def test_the_task_figures_link_to_the_tasks_dispatched_in_the_period(world, login_as):
    office = login_as("office", "OFFICE")
    page = office.get("/console/?year=2026&period=q2").get_data(as_text=True)
    links = set(re.findall(r'href="(/tasks/\?[^"]+)"', page))
    assert links and all("dispatched_from=2026-04-01" in link and "dispatched_to=2026-06-30" in link
                         for link in links)
    # The list behind "tasks dispatched" in the second quarter holds CCC's two tasks only.
    listed = office.get("/tasks/?dispatched_from=2026-04-01&dispatched_to=2026-06-30").get_data(as_text=True)
    ids = {int(n) for n in re.findall(r'href="/tasks/(\d+)"', listed)}
    assert ids == {task.id for task in world.ccc_tasks}


def test_the_other_figures_link_to_their_lists(world, login_as):
    page = login_as("office", "OFFICE").get("/console/?year=2026").get_data(as_text=True).replace("&amp;", "&")
    for href in ("/plans/submissions?year=2026", "/draws/?state=executed", "/followups/?state=open",
                 "/followups/?state=overdue", "/replacements/", "/console/coverage?year=2026&period=year"):
        assert f'href="{href}' in page, href
