"""An independent inspection booked into a deal: a consultant who offers sampling and lab
analysis samples the goods and enters the lab's figures, which the deal's quality step takes."""
