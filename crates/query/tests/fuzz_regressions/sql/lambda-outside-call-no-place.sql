SELECT try_to_timest->date_part('garbage')
