"""One call of every chart function, with Latin and Chinese labels: shared by the chart tests."""

from qmdoc import charts

# one call of every chart function, with Latin and Chinese labels
CALLS = {
    "trend": (charts.trend, (["2025-Q1", "2025-Q2", "2025-Q3"], [60.1, None, 68.25], [55.0, None, 60.5],
                             [65.2, None, 76.0], [24, 0, 26]),
              {"title": "指数 Index (0–100)", "ylabel": "Index", "target": 60.0, "target_label": "目标 60"}),
    "hbars": (charts.hbars, (["North", "海岛", "South"], [75.5, None, 55.2], [16, 0, 8]),
              {"title": "按地区 by region", "xlabel": "Index (0–100)", "suppressed_label": "n < 5"}),
    "columns": (charts.columns, (["2025-01", "2025-02", "2025-03"], [3, 0, 5]),
                {"title": "每月投诉 per month", "ylabel": "Count", "note": "n = 8"}),
    "pareto": (charts.pareto, (["交付 Delivery", "Quality", "Other"], [5, 2, 1], [62.5, 87.5, 100.0]),
               {"title": "Pareto", "ylabel": "Count", "cumulative_label": "Cumulative (%)"}),
    "radar": (charts.radar, (["产品质量", "Delivery", "Technical support", "Price"],
                             [("2025-Q2 (n = 26)", [71.6, 63.2, 80.0, None]), ("2025-Q1 (n = 24)", [60.3, 59.8, 70.1, 65.0])]),
              {"title": "维度得分 Dimension scores (0–100)"}),
    "item_bars": (charts.item_bars, (["q1 (n = 26)", "q2 (n = 22)", "问题 (n = 9)"], [68.3, 75.0, 5.0],
                                     [73.1, 72.7, None], [53.9, 51.8, None], [86.3, 86.8, None]),
                  {"title": "题项 Items", "xlabel": "Score (0–100)", "score_label": "Score", "top2_label": "Top-2-box"}),
    "nps_bars": (charts.nps_bars, (["2025-Q1", "2025-Q2"], [41.7, 38.5], [20.8, 19.2], [37.5, 42.3], [-4.2, 3.8], [24, 26]),
                 {"title": "净推荐值 NPS", "ylabel": "Share (%)", "names": ("贬损者", "Passives", "Promoters"),
                  "score_name": "NPS"}),
    "ipa": (charts.ipa, (["产品质量", "Delivery", "Price", "Support"], [71.6, 63.2, 72.0, None], [30.0, 25.0, 10.0, 10.0],
                         68.93, 18.75, ("重点改进", "Keep up", "Low priority", "Overkill")),
            {"title": "重要度–表现 IPA", "xlabel": "Performance (0–100)", "ylabel": "Importance (%)"}),
    "grouped_hbars": (charts.grouped_hbars, (["Index", "质量", "Delivery"],
                                             [("Us (n = 26)", [70.0, 71.0, 69.0]), ("华川 (n < 5)", [None, None, None]),
                                              ("Rival (n = 30)", [65.0, 80.0, 50.0])]),
                      {"title": "Competitors", "xlabel": "Score (0–100)", "missing_label": "n < 5"}),
    "path_diagram": (charts.path_diagram, (["品牌形象", "预期质量", "Perceived quality", "感知价值", "顾客满意度", "Loyalty"],
                                           [73.3, 75.4, 74.8, None, 67.3, 64.4], [None, 0.167, 0.168, 0.326, 0.642, 0.531],
                                           [(0, 1), (0, 4), (1, 2), (1, 3), (2, 3), (2, 4), (3, 4), (4, 5), (0, 5)],
                                           [0.409, 0.226, 0.409, 0.129, 0.505, 0.512, 0.290, 0.674, -0.117]),
                     {"title": "结构模型 Structural model, 2025", "index_label": "指数", "r2_label": "R²",
                      "note": "Arrow width is proportional to the path coefficient.",
                      "significant": [True, True, True, False, True, True, None, True, False]}),
    "driver_bars": (charts.driver_bars, (["产品质量", "Delivery", "Technical support"], [31.2, 45.0, 23.8],
                                         [20.1, 33.4, None], [44.0, 57.2, None]),
                    {"title": "关键驱动因素 Drivers", "xlabel": "Share of R² (%)", "interval_label": "95 %"}),
    "ipma_map": (charts.ipma_map, (["感知质量", "Perceived value", "Image"], [0.512, 0.128, 0.3], [74.8, 70.1, 81.0]),
                 {"title": "重要性–绩效 IPMA", "xlabel": "Total effect", "ylabel": "Index (0–100)"}),
    "bullets": (charts.bullets, (["O1 满意度指数", "O2 Net Promoter Score", "O3 Resolution p90"], [79.4, None, 18.7],
                                 [78.0, 30.0, 20.0], ["分", "points", "days"], [True, None, True]),
                {"title": "质量目标 Objectives", "target_label": "target", "no_data_label": "无数据 no data"}),
}


def draw(name: str) -> bytes:
    fn, args, kwargs = CALLS[name]
    return fn(*args, **kwargs)
