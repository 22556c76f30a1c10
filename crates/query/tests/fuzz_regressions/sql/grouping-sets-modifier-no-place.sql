SELECT factory_id, defect, sum(count) AS inspections FROM inspection_gold GROUP BY GROUPING SETS ((factory_id), (defect), ()) GROUPING SETS ((factory_id), (defect), ())
